import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Bookings from "../../src/bookings/Bookings.ts"
import { Ids } from "../../src/kernel/Ids.ts"
import * as FreedTime from "../../src/ledger/FreedTime.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { at, request, shop } from "../support/BookingShop.ts"
import { as, auditedOf, unit } from "../support/UseCases.ts"

// Claiming units through the bookings use case on the memory adapters: the ledger decides, so a
// unit is never held twice at overlapping times.
const memory = Bookings.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer, FreedTime.ignored))
)

layer(memory, { excludeTestServices: true })("Unit claims on memory storage", (it) => {
  it.effect(
    "a unit is never double-booked: an overlapping request is refused, names the clash and writes nothing; a touching one is taken",
    () =>
      Effect.gen(function* () {
        const bookings = yield* Bookings.Bookings
        const { member, unitIds } = yield* shop
        yield* as(member, bookings.create(request(9, 12, [{ unitId: unitIds[0] }])))
        const overlapping = yield* Effect.flip(
          as(member, bookings.create(request(11, 13, [{ unitId: unitIds[0] }])))
        )
        assert.strictEqual(overlapping._tag, "Conflict")
        if (overlapping._tag === "Conflict")
          assert.deepStrictEqual(
            overlapping.conflicts.map((clash) => [clash.subjectId, clash.startAt, clash.endAt]),
            [[unitIds[0], at(9), at(12)]]
          )
        // Both units named: the free one is not claimed alone when the other clashes.
        const both = [{ unitId: unitIds[1] }, { unitId: unitIds[0] }]
        assert.strictEqual(
          (yield* Effect.flip(as(member, bookings.create(request(8, 10, both)))))._tag,
          "Conflict"
        )
        assert.deepStrictEqual(yield* auditedOf(member.orgId), ["booking.CREATE"])
        const touching = yield* as(member, bookings.create(request(12, 14, both)))
        assert.deepStrictEqual(touching.items.map((item) => item.unitId).sort(), [...unitIds].sort())
      })
  )

  it.effect("a request for a resource takes a free unit, and is refused once every unit is taken", () =>
    Effect.gen(function* () {
      const bookings = yield* Bookings.Bookings
      const { member, camera, unitIds } = yield* shop
      const first = yield* as(member, bookings.create(request(9, 12, [{ resourceId: camera.id }])))
      const second = yield* as(member, bookings.create(request(9, 12, [{ resourceId: camera.id }])))
      assert.deepStrictEqual([first.items[0]!.unitId, second.items[0]!.unitId].sort(), [...unitIds].sort())
      const third = yield* Effect.flip(
        as(member, bookings.create(request(10, 11, [{ resourceId: camera.id }])))
      )
      assert.strictEqual(third._tag, "Conflict")
      const window = { startAt: at(8), endAt: at(13) }
      const availability = yield* as(member, bookings.availability(camera.id, window))
      assert.deepStrictEqual(availability.freeUnitIds, [])
      const free = [
        { startAt: at(8), endAt: at(9) },
        { startAt: at(12), endAt: at(13) }
      ]
      assert.deepStrictEqual(
        availability.units.map((one) => one.free),
        [free, free]
      )
    })
  )

  it.effect("a request for a resource skips the units it names and those out of service", () =>
    Effect.gen(function* () {
      const bookings = yield* Bookings.Bookings
      const { member, camera, unitIds } = yield* shop
      const items = [{ unitId: unitIds[0] }, { resourceId: camera.id }]
      const both = yield* as(member, bookings.create(request(9, 10, items)))
      assert.deepStrictEqual(both.items.map((item) => item.unitId).sort(), [...unitIds].sort())
      const resting = yield* resource(member.orgId, [])
      yield* unit(member.orgId, resting.id, "MAINTENANCE")
      const none = yield* Effect.flip(
        as(member, bookings.create(request(9, 10, [{ resourceId: resting.id }])))
      )
      assert.strictEqual(none._tag, "NotBookable")
    })
  )
})
