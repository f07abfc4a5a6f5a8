import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Option, Redacted } from "effect"
import * as ApiKeys from "../../src/identity/ApiKeys.ts"
import { MembershipRepo } from "../../src/identity/IdentityRepos.ts"
import { Ids, nextId, Uuid } from "../../src/kernel/Ids.ts"
import { Outbox } from "../../src/kernel/Outbox.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import * as Fixtures from "../../src/testing/IdentityFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { signer } from "../support/IdentityPorts.ts"
import { as } from "../support/UseCases.ts"

// The API keys use case on the memory adapters: who may make which key, and what a key may do.
const memory = ApiKeys.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, signer)),
  Layer.provideMerge(Ids.layer)
)

/** A stored member of `role` in a new org, as the actor they are. */
const memberOf = (role: Role) =>
  Effect.gen(function* () {
    const org = yield* Fixtures.org()
    const person = yield* Fixtures.account()
    yield* Fixtures.join(org.id, person.id, role)
    return new Actor({ orgId: org.id, accountId: person.id, role })
  })

const topicsOf = (orgId: string) =>
  Effect.flatMap(Effect.service(Outbox), (outbox) => {
    const far = DateTime.makeUnsafe(Date.UTC(2200, 0, 1))
    return Effect.map(outbox.lease(1000, far, far), (messages) =>
      messages.filter((message) => message.orgId === orgId).map((message) => message.topic)
    )
  })

layer(memory, { excludeTestServices: true })("ApiKeys on memory storage", (it) => {
  it.effect("a key's scopes must be permissions its creator holds", () =>
    Effect.gen(function* () {
      const keys = yield* ApiKeys.ApiKeys
      const manager = yield* memberOf("manager")
      const made = yield* as(
        manager,
        keys.create({ name: "ci", scopes: ["inventory.read", "booking.manage"] })
      )
      assert.deepStrictEqual(made.apiKey.scopes, ["inventory.read", "booking.manage"])
      const beyond = yield* Effect.flip(
        as(manager, keys.create({ name: "admin", scopes: ["member.manage"] }))
      )
      assert.deepStrictEqual(
        [beyond._tag, beyond._tag === "Forbidden" && beyond.permission],
        ["Forbidden", "member.manage"]
      )
      const technician = yield* memberOf("technician")
      const denied = yield* Effect.flip(
        as(technician, keys.create({ name: "t", scopes: ["inventory.read"] }))
      )
      assert.strictEqual(denied._tag, "Forbidden")
      assert.deepStrictEqual(yield* topicsOf(manager.orgId), ["api_key.created"])
    })
  )

  it.effect("a key acts as its creator with its scopes, until revoked or its creator leaves", () =>
    Effect.gen(function* () {
      const keys = yield* ApiKeys.ApiKeys
      const admin = yield* memberOf("admin")
      const { apiKey, key } = yield* as(admin, keys.create({ name: "sync", scopes: ["inventory.read"] }))
      const acting = yield* keys.authenticate(Redacted.value(key))
      assert.deepStrictEqual(
        Option.map(
          acting,
          (actor): ReadonlyArray<unknown> => [
            actor.accountId,
            actor.orgId,
            actor.role,
            actor.apiKeyId,
            actor.scopes
          ]
        ),
        Option.some([admin.accountId, admin.orgId, "admin", apiKey.id, ["inventory.read"]])
      )
      const forged = `${Redacted.value(key).slice(0, -4)}AAAA`
      assert.isTrue(Option.isNone(yield* keys.authenticate(forged)))
      assert.isTrue(Option.isNone(yield* keys.authenticate("rota_live_nonsense")))
      const revoked = yield* as(admin, keys.revoke(apiKey.id))
      assert.isNotNull(revoked.revokedAt)
      assert.deepStrictEqual(yield* as(admin, keys.revoke(apiKey.id)), revoked)
      assert.isTrue(Option.isNone(yield* keys.authenticate(Redacted.value(key))))
      const other = yield* as(admin, keys.create({ name: "other", scopes: ["inventory.read"] }))
      const memberships = yield* MembershipRepo
      yield* Effect.orDie(memberships.setActive(admin.orgId, admin.accountId, undefined, false))
      assert.isTrue(Option.isNone(yield* keys.authenticate(Redacted.value(other.key))))
    })
  )

  it.effect("another org's key is not found, and the list is the org's own", () =>
    Effect.gen(function* () {
      const keys = yield* ApiKeys.ApiKeys
      const [mine, theirs] = [yield* memberOf("manager"), yield* memberOf("manager")]
      const made = yield* as(mine, keys.create({ name: "ci", scopes: ["inventory.read"] }))
      assert.strictEqual((yield* Effect.flip(as(theirs, keys.get(made.apiKey.id))))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(as(theirs, keys.revoke(made.apiKey.id))))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(as(mine, keys.get(yield* nextId(Uuid)))))._tag, "NotFound")
      const listed = yield* as(mine, keys.list({ limit: 10 }))
      assert.deepStrictEqual(
        listed.items.map((key) => key.id),
        [made.apiKey.id]
      )
      assert.strictEqual((yield* as(theirs, keys.list({ limit: 10 }))).items.length, 0)
    })
  )
})
