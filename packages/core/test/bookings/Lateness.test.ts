import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import { BookingRepo, FineRepo } from "../../src/bookings/BookingRepos.ts"
import * as Bookings from "../../src/bookings/Bookings.ts"
import { Ids, nextId, OrgId } from "../../src/kernel/Ids.ts"
import * as FreedTime from "../../src/ledger/FreedTime.ts"
import { booking } from "../../src/testing/BookingFixtures.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { actorIn, as, auditedOf, auditOf, messagesOf, topicsOf, unit } from "../support/UseCases.ts"

// Late bookings through the bookings use case on the memory adapters: the overdue scan, late
// returns and their fines, and check-outs of units still out. A booking must start in the
// future, so those already under way are stored directly, as if checked out long ago.
const memory = Bookings.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer, FreedTime.ignored))
)

/** An org (default settings: 15 minutes' grace, 100 EUR cents per started hour) and a unit. */
const shop = Effect.gen(function* () {
  const orgId = yield* nextId(OrgId)
  const camera = yield* resource(orgId, [])
  const item = { unitId: (yield* unit(orgId, camera.id)).id, resourceId: camera.id }
  return { manager: yield* actorIn(orgId, "manager"), member: yield* actorIn(orgId, "member"), item }
})

/** A booking of the member's checked out two hours before it ended, `minutes` ago. */
const checkedOut = (setting: Effect.Success<typeof shop>, minutes: number) =>
  Effect.gen(function* () {
    const endedAt = DateTime.subtract(yield* DateTime.now, { minutes })
    const stored = yield* booking(setting.member.orgId, setting.member.accountId, [setting.item], {
      status: "CHECKED_OUT",
      start: DateTime.subtract(endedAt, { hours: 2 })
    })
    return yield* (yield* BookingRepo).insert(stored)
  })

layer(memory, { excludeTestServices: true })("Late bookings on memory storage: the overdue scan", (it) => {
  it.effect(
    "the overdue scan marks a checked-out booking past its end OVERDUE, once, with no actor, and warns the next requester",
    () =>
      Effect.gen(function* () {
        const bookings = yield* Bookings.Bookings
        const setting = yield* shop
        const late = yield* checkedOut(setting, 60)
        const nextStart = DateTime.add(yield* DateTime.now, { days: 1 })
        const next = yield* as(
          setting.manager,
          bookings.create({
            startAt: nextStart,
            endAt: DateTime.add(nextStart, { hours: 1 }),
            purpose: "Next",
            items: [{ unitId: setting.item.unitId }]
          })
        )
        assert.strictEqual(yield* bookings.markOverdue, 1)
        assert.strictEqual(yield* bookings.markOverdue, 0, "an OVERDUE booking is not marked again")
        assert.strictEqual((yield* as(setting.manager, bookings.get(late.id))).status, "OVERDUE")
        const [event] = (yield* auditOf(setting.manager.orgId)).filter((one) => one.entityId === late.id)
        assert.deepStrictEqual([event?.action, event?.actorId], ["STATUS_CHANGE", null])
        const messages = yield* messagesOf(setting.manager.orgId)
        assert.deepStrictEqual(
          messages.slice(1).map((message) => [message.topic, (message.payload as { id: string }).id]),
          [
            ["booking.overdue", late.id],
            ["booking.unit_not_returned", next.id]
          ]
        )
        // The unit is still out: the next booking cannot be checked out until it is back.
        const refused = yield* Effect.flip(as(setting.manager, bookings.checkOut(next.id, next.version)))
        assert.strictEqual(refused._tag, "UnitNotReturned")
        if (refused._tag === "UnitNotReturned") assert.deepStrictEqual(refused.unitIds, [setting.item.unitId])
        const returned = yield* as(setting.manager, bookings.return(late.id, 2))
        assert.strictEqual(returned.status, "RETURNED")
        const out = yield* as(setting.manager, bookings.checkOut(next.id, next.version))
        assert.strictEqual(out.status, "CHECKED_OUT")
      })
  )
})

layer(memory, { excludeTestServices: true })("Late bookings on memory storage: returns", (it) => {
  it.effect(
    "a return past the grace period records the minutes late and fines the requester per started hour",
    () =>
      Effect.gen(function* () {
        const bookings = yield* Bookings.Bookings
        const setting = yield* shop
        const late = yield* checkedOut(setting, 210)
        const returned = yield* as(setting.manager, bookings.return(late.id, late.version))
        assert.deepStrictEqual([returned.status, returned.lateMinutes], ["RETURNED", 210])
        const fines = yield* (yield* FineRepo).list(setting.member.orgId, {
          limit: 10,
          filters: { bookingId: late.id }
        })
        assert.deepStrictEqual(
          fines.items.map((fine) => [fine.accountId, fine.amount, fine.currency, fine.status]),
          [[setting.member.accountId, 400, "EUR", "OPEN"]]
        )
        // One transaction writes both; the order between them is no rule.
        assert.deepStrictEqual([...(yield* auditedOf(setting.member.orgId))].sort(), [
          "booking.STATUS_CHANGE",
          "fine.CREATE"
        ])
        assert.deepStrictEqual([...(yield* topicsOf(setting.member.orgId))].sort(), [
          "booking.returned",
          "fine.created"
        ])
      })
  )

  it.effect("a return within the grace period is on time: no minutes late, no fine", () =>
    Effect.gen(function* () {
      const bookings = yield* Bookings.Bookings
      const setting = yield* shop
      const late = yield* checkedOut(setting, 10)
      const returned = yield* as(setting.manager, bookings.return(late.id, late.version))
      assert.deepStrictEqual([returned.status, returned.lateMinutes], ["RETURNED", 0])
      const fines = yield* (yield* FineRepo).list(setting.member.orgId, { limit: 10, filters: {} })
      assert.deepStrictEqual(fines.items, [])
      assert.deepStrictEqual(yield* topicsOf(setting.member.orgId), ["booking.returned"])
    })
  )

  it.effect("only a manager checks out and takes back: the requester may not return their own booking", () =>
    Effect.gen(function* () {
      const bookings = yield* Bookings.Bookings
      const setting = yield* shop
      const late = yield* checkedOut(setting, 10)
      const refused = yield* Effect.flip(as(setting.member, bookings.return(late.id, late.version)))
      assert.strictEqual(refused._tag, "Forbidden")
      assert.strictEqual((yield* as(setting.member, bookings.get(late.id))).status, "CHECKED_OUT")
    })
  )
})
