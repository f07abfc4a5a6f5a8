import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Redacted } from "effect"
import { AccountRepo, MembershipRepo, SessionRepo } from "../../src/identity/IdentityRepos.ts"
import * as Invitations from "../../src/identity/Invitations.ts"
import * as Members from "../../src/identity/Members.ts"
import { AuditLog } from "../../src/kernel/AuditLog.ts"
import { AccountId, Ids, nextId, type OrgId } from "../../src/kernel/Ids.ts"
import { Outbox } from "../../src/kernel/Outbox.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import { missing } from "../../src/kernel/Versioning.ts"
import * as Fixtures from "../../src/testing/IdentityFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import * as IdentityPorts from "../support/IdentityPorts.ts"
import { as } from "../support/UseCases.ts"

// The members use case on the memory adapters: who may add, change, suspend and remove whom.
const memory = Members.layer.pipe(
  Layer.provideMerge(Invitations.layer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, IdentityPorts.layer)),
  Layer.provideMerge(Ids.layer)
)

/** A stored member of the org with `role`, as the actor they are. */
const person = (orgId: OrgId, role: Role) =>
  Effect.gen(function* () {
    const stored = yield* Fixtures.account({ name: role })
    yield* Fixtures.join(orgId, stored.id, role)
    return new Actor({ orgId, accountId: stored.id, role })
  })

/** A new org with one stored member of each role given. */
const team = (...roles: ReadonlyArray<Role>) =>
  Effect.gen(function* () {
    const { id } = yield* Fixtures.org("Team")
    return yield* Effect.forEach(roles, (role) => person(id, role))
  })

const newcomer = (role: Role) =>
  Effect.map(nextId(AccountId), (id) => ({
    email: `new-${id.slice(-12)}@example.test`,
    fullName: "New Comer",
    role,
    password: Redacted.make("a fine long passphrase")
  }))

const tagOf = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => error._tag)

layer(memory, { excludeTestServices: true })("Members on memory storage", (it) => {
  it.effect("an admin adds someone with a password: a new account, its password hashed, both audited", () =>
    Effect.gen(function* () {
      const members = yield* Members.Members
      const [admin] = yield* team("admin")
      const input = yield* newcomer("technician")
      const added = yield* as(admin!, members.create("member", input))
      assert.deepStrictEqual([added.role, added.email, added.version], ["technician", input.email, 1])
      const stored = Option.getOrThrow(yield* (yield* AccountRepo).findByLogin(input.email))
      assert.notInclude(stored.passwordHash ?? "", "a fine long passphrase")
      const events = yield* (yield* AuditLog).list(admin!.orgId, { limit: 10 })
      assert.sameMembers(
        events.items.map((event) => `${event.entityType} ${event.action}`),
        ["account CREATE", "member CREATE"]
      )
      // An address that has an account joins by invitation only.
      assert.strictEqual(yield* tagOf(as(admin!, members.create("member", input))), "AlreadyExists")
    })
  )

  it.effect("only an owner grants owner, and a manager manages no members at all", () =>
    Effect.gen(function* () {
      const members = yield* Members.Members
      const [owner, admin, manager, technician] = yield* team("owner", "admin", "manager", "technician")
      const byAdmin = yield* Effect.flip(as(admin!, members.create("member", yield* newcomer("owner"))))
      assert.deepStrictEqual(
        [byAdmin._tag, byAdmin._tag === "Forbidden" && byAdmin.permission],
        ["Forbidden", "member.grant_owner"]
      )
      const invited = yield* Effect.flip(as(admin!, members.invite("member", yield* newcomer("owner"))))
      assert.strictEqual(invited._tag, "Forbidden")
      assert.strictEqual(
        yield* tagOf(as(manager!, members.create("member", yield* newcomer("technician")))),
        "Forbidden"
      )
      const demoteOwner = members.update("member", owner!.accountId, 1, { role: "admin" })
      assert.strictEqual(yield* tagOf(as(admin!, demoteOwner)), "Forbidden")
      const promoted = yield* as(
        admin!,
        members.update("member", technician!.accountId, 1, { role: "admin" })
      )
      assert.strictEqual(promoted.role, "admin")
      const crowned = yield* as(owner!, members.create("member", yield* newcomer("owner")))
      assert.strictEqual(crowned.role, "owner")
    })
  )

  it.effect("the last owner can be neither demoted nor removed; with a second owner, they can", () =>
    Effect.gen(function* () {
      const members = yield* Members.Members
      const [owner] = yield* team("owner")
      const self = owner!.accountId
      const demote = yield* Effect.flip(as(owner!, members.update("member", self, 1, { role: "admin" })))
      const remove = yield* Effect.flip(as(owner!, members.remove("member", self, 1)))
      assert.deepStrictEqual([demote._tag, remove._tag], ["LastOwner", "LastOwner"])
      yield* person(owner!.orgId, "owner")
      const demoted = yield* as(owner!, members.update("member", self, 1, { role: "admin" }))
      assert.deepStrictEqual([demoted.role, demoted.version], ["admin", 2])
    })
  )

  it.effect("a change names the version it saw: a stale one is refused, a missing one required", () =>
    Effect.gen(function* () {
      const members = yield* Members.Members
      const [admin, technician] = yield* team("admin", "technician")
      const id = technician!.accountId
      const tagged = yield* as(admin!, members.update("technician", id, 1, { skills: ["welding"] }))
      assert.deepStrictEqual([tagged.skills, tagged.version], [["welding"], 2])
      const stale = yield* as(admin!, tagOf(members.update("technician", id, 1, { skills: ["rigging"] })))
      const unsaid = yield* as(admin!, tagOf(members.update("technician", id, missing, { tags: ["a"] })))
      assert.deepStrictEqual([stale, unsaid], ["PreconditionFailed", "PreconditionRequired"])
      assert.deepStrictEqual((yield* as(admin!, members.get("technician", id))).skills, ["welding"])
    })
  )

  it.effect("a name and phone are changed by their holder only; how someone works, by staff only", () =>
    Effect.gen(function* () {
      const members = yield* Members.Members
      const [admin, technician] = yield* team("admin", "technician")
      const id = technician!.accountId
      const renamed = yield* Effect.flip(as(admin!, members.update("technician", id, 1, { fullName: "X" })))
      assert.deepStrictEqual(
        [renamed._tag, renamed._tag === "Forbidden" && renamed.permission],
        ["Forbidden", "account.profile"]
      )
      const own = yield* as(technician!, members.update("technician", id, 1, { fullName: "Grace Hopper" }))
      assert.strictEqual(own.fullName, "Grace Hopper")
      const contract = members.update("technician", id, own.version, { employmentType: "CONTRACTOR" })
      assert.strictEqual(yield* tagOf(as(technician!, contract)), "Forbidden")
      assert.strictEqual((yield* as(admin!, contract)).employmentType, "CONTRACTOR")
    })
  )

  it.effect(
    "a suspended member's session loses the org at once and gets it back when restored; nobody suspends themselves",
    () =>
      Effect.gen(function* () {
        const members = yield* Members.Members
        const sessions = yield* SessionRepo
        const [admin, technician] = yield* team("admin", "technician")
        const sessionId = yield* nextId(AccountId)
        yield* sessions.create({ id: sessionId, accountId: technician!.accountId, at: DateTime.nowUnsafe() })
        const roleNow = Effect.map(sessions.resolve(sessionId, admin!.orgId), (state) =>
          Option.map(state, (live) => live.role)
        )
        assert.deepStrictEqual(yield* roleNow, Option.some("technician"))
        const suspended = yield* as(admin!, members.setActive(technician!.accountId, 1, false))
        assert.isFalse(suspended.isActive)
        assert.deepStrictEqual(yield* roleNow, Option.some(null))
        const found = yield* (yield* MembershipRepo).find(admin!.orgId, technician!.accountId)
        assert.isTrue(Option.isNone(found))
        // Nobody suspends themselves, not even an owner with a co-owner to undo it.
        assert.strictEqual(
          yield* tagOf(as(admin!, members.setActive(admin!.accountId, 1, false))),
          "Forbidden"
        )
        const [owner] = yield* team("owner", "owner")
        assert.strictEqual(
          yield* tagOf(as(owner!, members.setActive(owner!.accountId, 1, false))),
          "Forbidden"
        )
        yield* as(admin!, members.setActive(technician!.accountId, suspended.version, true))
        assert.deepStrictEqual(yield* roleNow, Option.some("technician"))
      })
  )

  it.effect("another org's people are not found, and a client reads their own record only", () =>
    Effect.gen(function* () {
      const members = yield* Members.Members
      const [admin, client, otherClient] = yield* team("admin", "member", "member")
      const [stranger] = yield* team("owner")
      const id = client!.accountId
      assert.strictEqual(yield* tagOf(as(stranger!, members.get("member", id))), "NotFound")
      assert.strictEqual(yield* tagOf(as(stranger!, members.remove("client", id, undefined))), "NotFound")
      const listed = yield* as(client!, members.list("client", { limit: 10 }))
      assert.deepStrictEqual(
        listed.items.map((member) => member.accountId),
        [id]
      )
      assert.strictEqual(yield* tagOf(as(client!, members.get("client", otherClient!.accountId))), "NotFound")
      assert.strictEqual(yield* tagOf(as(client!, members.list("member", { limit: 10 }))), "Forbidden")
      // The clients view holds the clients only: the admin is not one.
      const all = yield* as(admin!, members.list("client", { limit: 10 }))
      assert.sameMembers(
        all.items.map((member) => member.accountId),
        [id, otherClient!.accountId]
      )
    })
  )

  it.effect("adding someone without a password invites the address, whether or not it has an account", () =>
    Effect.gen(function* () {
      const members = yield* Members.Members
      const [admin] = yield* team("admin")
      const existing = yield* Fixtures.account({ name: "elsewhere" })
      const invitation = yield* as(
        admin!,
        members.invite("technician", { email: existing.email, fullName: "Someone", role: "owner" })
      )
      // The technicians view fixes the role, whatever the input says.
      assert.deepStrictEqual([invitation.email, invitation.role], [existing.email, "technician"])
      assert.isTrue(Option.isNone(yield* (yield* MembershipRepo).find(admin!.orgId, existing.id)))
      const far = DateTime.makeUnsafe(Date.UTC(2200, 0, 1))
      const sent = yield* (yield* Outbox).lease(1000, far, far)
      assert.deepStrictEqual(
        sent.filter((message) => message.orgId === admin!.orgId).map((message) => message.topic),
        [Invitations.createdTopic]
      )
    })
  )
})
