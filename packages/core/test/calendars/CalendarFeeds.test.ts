import { assert, layer } from "@effect/vitest"
import { Clock, DateTime, Effect, Layer, Redacted } from "effect"
import * as CalendarFeeds from "../../src/calendars/CalendarFeeds.ts"
import { UnitRepo } from "../../src/inventory/InventoryRepos.ts"
import { ResourceUnit, UnitId } from "../../src/inventory/ResourceUnit.ts"
import { Ids, nextId, Uuid } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import { Ledger } from "../../src/ledger/Ledger.ts"
import * as Fixtures from "../../src/testing/IdentityFixtures.ts"
import { base, hour, resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { signer } from "../support/IdentityPorts.ts"
import { as } from "../support/UseCases.ts"

// The calendar feeds use case on the memory adapters: who may share whose time, and what a
// feed's token serves.
const memory = CalendarFeeds.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, signer)),
  Layer.provideMerge(Ids.layer)
)

/** A stored member of `role` in the org, as the actor they are. */
const join = (orgId: Actor["orgId"], role: Role) =>
  Effect.gen(function* () {
    const person = yield* Fixtures.account()
    yield* Fixtures.join(orgId, person.id, role)
    return new Actor({ orgId, accountId: person.id, role })
  })

const newOrg = Effect.map(Fixtures.org(), (org) => org.id)

layer(memory, { excludeTestServices: true })("CalendarFeeds on memory storage", (it) => {
  it.effect("one's own time is one's own to share; another person's or a resource's is a manager's", () =>
    Effect.gen(function* () {
      const feeds = yield* CalendarFeeds.CalendarFeeds
      const orgId = yield* newOrg
      const [member, colleague, manager] = [
        yield* join(orgId, "member"),
        yield* join(orgId, "member"),
        yield* join(orgId, "manager")
      ]
      const own = yield* as(member, feeds.create({ kind: "person", subjectId: member.accountId }))
      assert.deepStrictEqual(
        [own.feed.kind, own.feed.subjectId, own.feed.createdBy],
        ["person", member.accountId, member.accountId]
      )
      const theirs = yield* Effect.flip(
        as(member, feeds.create({ kind: "person", subjectId: colleague.accountId }))
      )
      assert.strictEqual(theirs._tag, "Forbidden")
      const shared = yield* as(manager, feeds.create({ kind: "person", subjectId: colleague.accountId }))
      assert.strictEqual(shared.feed.subjectId, colleague.accountId)
      const stranger = yield* Effect.flip(
        as(manager, feeds.create({ kind: "person", subjectId: yield* nextId(Uuid) }))
      )
      assert.strictEqual(stranger._tag, "NotFound")
      assert.deepStrictEqual(
        (yield* as(member, feeds.list({ limit: 10 }))).items.map((feed) => feed.id),
        [own.feed.id]
      )
      assert.strictEqual((yield* as(manager, feeds.list({ limit: 10 }))).items.length, 2)
    })
  )

  it.effect("a resource's feed serves its units' time by token, until revoked", () =>
    Effect.gen(function* () {
      const feeds = yield* CalendarFeeds.CalendarFeeds
      const orgId = yield* newOrg
      const manager = yield* join(orgId, "manager")
      const camera = yield* resource(orgId, [])
      const unitId = yield* nextId(UnitId)
      yield* Effect.orDie(
        (yield* UnitRepo).insert(
          new ResourceUnit({
            ...base,
            id: unitId,
            orgId,
            resourceId: camera.id,
            barcode: `cam-${unitId}`,
            condition: "GOOD",
            status: "AVAILABLE",
            notes: null,
            createdAt: hour(0)
          })
        )
      )
      const tomorrow = DateTime.add(DateTime.makeUnsafe(yield* Clock.currentTimeMillis), { days: 1 })
      const booking = yield* nextId(Uuid)
      yield* (yield* Ledger).claim(orgId, [
        {
          subject: { type: "unit", id: unitId },
          interval: { startAt: tomorrow, endAt: DateTime.add(tomorrow, { hours: 2 }) },
          source: { type: "booking", id: booking }
        }
      ])
      const { feed, token } = yield* as(manager, feeds.create({ kind: "resource", subjectId: camera.id }))
      const served = yield* feeds.serve(Redacted.value(token))
      assert.strictEqual(served.feed.id, feed.id)
      assert.deepStrictEqual(
        served.entries.map((entry) => [entry.type, entry.sourceId]),
        [["booking", booking]]
      )
      assert.strictEqual((yield* Effect.flip(feeds.serve(`${Redacted.value(token)}x`)))._tag, "NotFound")
      yield* as(manager, feeds.revoke(feed.id))
      assert.strictEqual((yield* Effect.flip(feeds.serve(Redacted.value(token))))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(as(manager, feeds.get(feed.id))))._tag, "NotFound")
    })
  )
})
