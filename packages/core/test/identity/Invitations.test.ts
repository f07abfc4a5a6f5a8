import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Redacted } from "effect"
import { AccountRepo, MembershipRepo } from "../../src/identity/IdentityRepos.ts"
import * as Invitations from "../../src/identity/Invitations.ts"
import { PasswordHasher } from "../../src/identity/PasswordHasher.ts"
import { AccountId, Ids, nextId, type OrgId } from "../../src/kernel/Ids.ts"
import { Outbox } from "../../src/kernel/Outbox.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import * as Fixtures from "../../src/testing/IdentityFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import * as IdentityPorts from "../support/IdentityPorts.ts"
import { claimsOf, signed } from "../support/IdentityPorts.ts"
import { as } from "../support/UseCases.ts"

// The invitations use case on the memory adapters: who may invite, and what accepting a link
// may and may not do.
const memory = Invitations.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, IdentityPorts.layer)),
  Layer.provideMerge(Ids.layer)
)

const secret = Redacted.make

/** A new org's stored member with `role`, as the actor they are. */
const memberOf = (role: Role) =>
  Effect.gen(function* () {
    const org = yield* Fixtures.org()
    const person = yield* Fixtures.account({ name: role })
    yield* Fixtures.join(org.id, person.id, role)
    return new Actor({ orgId: org.id, accountId: person.id, role })
  })

const freshEmail = Effect.map(nextId(AccountId), (id) => `invitee-${id.slice(-12)}@example.test`)

/** An invitation of a new address by a new org's admin. */
const invited = (role: Role = "technician") =>
  Effect.gen(function* () {
    const admin = yield* memberOf("admin")
    const email = yield* freshEmail
    const sent = yield* as(admin, (yield* Invitations.Invitations).create({ email, role }))
    return { admin, email, ...sent }
  })

const roleIn = (orgId: OrgId, accountId: AccountId) =>
  Effect.map(
    Effect.flatMap(Effect.service(MembershipRepo), (repo) => repo.find(orgId, accountId)),
    Option.map((member) => member.role)
  )

const tagOf = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => error._tag)

layer(memory, { excludeTestServices: true })("Invitations on memory storage", (it) => {
  it.effect("an invitation lives a week by default, and its message names it but carries no token", () =>
    Effect.gen(function* () {
      const invitations = yield* Invitations.Invitations
      const { admin, invitation, token, email } = yield* invited()
      assert.strictEqual(claimsOf(token).id, invitation.id)
      assert.strictEqual(
        DateTime.toEpochMillis(invitation.expiresAt) - DateTime.toEpochMillis(invitation.createdAt),
        168 * 3_600_000
      )
      const far = DateTime.makeUnsafe(Date.UTC(2200, 0, 1))
      const sent = (yield* (yield* Outbox).lease(1000, far, far)).filter((m) => m.orgId === admin.orgId)
      assert.deepStrictEqual(
        sent.map((message) => [message.topic, (message.payload as { invitationId: string }).invitationId]),
        [[Invitations.createdTopic, invitation.id]]
      )
      assert.notInclude(JSON.stringify(sent[0]?.payload), token)
      const listed = yield* as(admin, invitations.list)
      assert.deepStrictEqual(
        listed.map((entry) => [entry.id, entry.email]),
        [[invitation.id, email]]
      )
    })
  )

  it.effect("a manager may not invite, and an admin may not invite an owner", () =>
    Effect.gen(function* () {
      const invitations = yield* Invitations.Invitations
      const manager = yield* memberOf("manager")
      const admin = yield* memberOf("admin")
      const email = yield* freshEmail
      assert.strictEqual(
        yield* tagOf(as(manager, invitations.create({ email, role: "member" }))),
        "Forbidden"
      )
      assert.strictEqual(yield* tagOf(as(manager, invitations.list)), "Forbidden")
      const owner = yield* Effect.flip(as(admin, invitations.create({ email, role: "owner" })))
      assert.deepStrictEqual(
        [owner._tag, owner._tag === "Forbidden" && owner.permission],
        ["Forbidden", "member.grant_owner"]
      )
    })
  )

  it.effect("a new address accepts with a password: a new account, a member with the role, once", () =>
    Effect.gen(function* () {
      const invitations = yield* Invitations.Invitations
      const { admin, token, email } = yield* invited("technician")
      // Without a password no account can be made; the link stays usable.
      assert.strictEqual(yield* tagOf(invitations.accept({ token })), "ValidationFailed")
      const joined = yield* invitations.accept({ token, password: secret("my own passphrase") })
      assert.deepStrictEqual([joined.orgId, joined.role], [admin.orgId, "technician"])
      assert.deepStrictEqual(yield* roleIn(admin.orgId, joined.accountId), Option.some("technician"))
      const account = Option.getOrThrow(yield* (yield* AccountRepo).findByLogin(email))
      assert.isTrue(
        yield* (yield* PasswordHasher).verify(account.passwordHash ?? "", secret("my own passphrase"))
      )
      const again = invitations.accept({ token, password: secret("my own passphrase") })
      assert.strictEqual(yield* tagOf(again), "TokenUsed")
    })
  )

  it.effect("an existing account joins only when its holder gives its password, which stays as it was", () =>
    Effect.gen(function* () {
      const invitations = yield* Invitations.Invitations
      const hasher = yield* PasswordHasher
      const holder = yield* Fixtures.account({ name: "holder" })
      yield* (yield* AccountRepo).setPassword(holder.id, yield* hasher.hash(secret("the holder's own")))
      const admin = yield* memberOf("admin")
      const { token } = yield* as(admin, invitations.create({ email: holder.email, role: "member" }))
      const none = yield* Effect.flip(invitations.accept({ token }))
      const wrong = yield* Effect.flip(invitations.accept({ token, password: secret("a takeover try") }))
      assert.deepStrictEqual([none._tag, wrong._tag], ["Unauthenticated", "Unauthenticated"])
      assert.isTrue(Option.isNone(yield* roleIn(admin.orgId, holder.id)))
      const joined = yield* invitations.accept({ token, password: secret("the holder's own") })
      assert.strictEqual(joined.accountId, holder.id)
      assert.deepStrictEqual(yield* roleIn(admin.orgId, holder.id), Option.some("member"))
    })
  )

  it.effect("a revoked, tampered, expired or misdirected link is refused", () =>
    Effect.gen(function* () {
      const invitations = yield* Invitations.Invitations
      const password = secret("my own passphrase")
      const { admin, invitation, token } = yield* invited()
      const claims = claimsOf(token)
      const tampered = `${signed({ ...claims, id: "other" }).split(".")[0]}.${token.split(".")[1]}`
      const expired = signed({ ...claims, expiresAt: DateTime.makeUnsafe(Date.now() - 1000) })
      const reset = signed({ ...claims, purpose: "password-reset" })
      for (const bad of [tampered, expired, reset]) {
        assert.strictEqual(yield* tagOf(invitations.accept({ token: bad, password })), "TokenInvalid")
      }
      yield* as(admin, invitations.revoke(invitation.id))
      assert.strictEqual(yield* tagOf(invitations.accept({ token, password })), "TokenUsed")
    })
  )

  it.effect("another org neither lists nor revokes an org's invitations", () =>
    Effect.gen(function* () {
      const invitations = yield* Invitations.Invitations
      const { invitation, token } = yield* invited()
      const stranger = yield* memberOf("owner")
      assert.deepStrictEqual(yield* as(stranger, invitations.list), [])
      assert.strictEqual(yield* tagOf(as(stranger, invitations.revoke(invitation.id))), "NotFound")
      const joined = yield* invitations.accept({ token, password: secret("my own passphrase") })
      assert.strictEqual(joined.orgId, invitation.orgId)
    })
  )
})
