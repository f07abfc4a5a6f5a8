import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import * as Bookings from "../../src/bookings/Bookings.ts"
import { ResourceRepo } from "../../src/inventory/InventoryRepos.ts"
import { Ids } from "../../src/kernel/Ids.ts"
import * as FreedTime from "../../src/ledger/FreedTime.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { at, request, shop } from "../support/BookingShop.ts"
import { actorIn, as, auditedOf, stranger, topicsOf, unit } from "../support/UseCases.ts"

// The bookings use case on the memory adapters: its rules in milliseconds. Claiming units on
// the ledger is in `UnitClaims.test.ts`; late returns, fines and the overdue scan in
// `Lateness.test.ts`.
const memory = Bookings.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer, FreedTime.ignored))
)

layer(memory, { excludeTestServices: true })("Bookings on memory storage: the lifecycle", (it) => {
  it.effect(
    "a member's request waits for approval, is checked out and returned on time, each step audited and announced",
    () =>
      Effect.gen(function* () {
        const bookings = yield* Bookings.Bookings
        const { manager, member, unitIds } = yield* shop
        const pending = yield* as(member, bookings.create(request(9, 12, [{ unitId: unitIds[0] }])))
        assert.deepStrictEqual(
          [pending.status, pending.version, pending.requesterId],
          ["PENDING", 1, member.accountId]
        )
        const approved = yield* as(manager, bookings.approve(pending.id, 1))
        assert.deepStrictEqual([approved.status, approved.approvedBy], ["APPROVED", manager.accountId])
        const out = yield* as(manager, bookings.checkOut(approved.id, approved.version))
        const back = yield* as(manager, bookings.return(out.id, out.version))
        assert.deepStrictEqual(
          [out.status, back.status, back.lateMinutes, back.returnedAt !== null, back.version],
          ["CHECKED_OUT", "RETURNED", 0, true, 4]
        )
        assert.deepStrictEqual(yield* auditedOf(manager.orgId), [
          "booking.CREATE",
          "booking.STATUS_CHANGE",
          "booking.STATUS_CHANGE",
          "booking.STATUS_CHANGE"
        ])
        assert.deepStrictEqual(yield* topicsOf(manager.orgId), [
          "booking.created",
          "booking.approved",
          "booking.checked_out",
          "booking.returned"
        ])
        // Returned early: the rest of the interval is free again.
        const again = yield* as(member, bookings.create(request(10, 11, [{ unitId: unitIds[0] }])))
        assert.strictEqual(again.items[0]!.unitId, unitIds[0])
      })
  )

  it.effect("a manager's request and, by default, a technician's are approved at once", () =>
    Effect.gen(function* () {
      const bookings = yield* Bookings.Bookings
      const { manager, unitIds } = yield* shop
      const technician = yield* actorIn(manager.orgId, "technician")
      const own = yield* as(manager, bookings.create(request(9, 10, [{ unitId: unitIds[0] }])))
      const theirs = yield* as(technician, bookings.create(request(9, 10, [{ unitId: unitIds[1] }])))
      assert.deepStrictEqual(
        [own.status, own.approvedBy, theirs.status, theirs.approvedBy],
        ["APPROVED", manager.accountId, "APPROVED", technician.accountId]
      )
    })
  )

  it.effect(
    "a step the lifecycle does not allow is an invalid transition naming the statuses reachable",
    () =>
      Effect.gen(function* () {
        const bookings = yield* Bookings.Bookings
        const { manager, member, unitIds } = yield* shop
        const pending = yield* as(member, bookings.create(request(9, 10, [{ unitId: unitIds[0] }])))
        const early = yield* Effect.flip(as(manager, bookings.checkOut(pending.id, 1)))
        assert.strictEqual(early._tag, "InvalidTransition")
        if (early._tag === "InvalidTransition")
          assert.deepStrictEqual(
            [early.from, early.to, [...early.allowed].sort()],
            ["PENDING", "CHECKED_OUT", ["APPROVED", "CANCELLED", "REJECTED"]]
          )
        const rejected = yield* as(manager, bookings.reject(pending.id, 1))
        for (const step of [
          bookings.approve(rejected.id, 2),
          bookings.cancel(rejected.id, 2),
          bookings.return(rejected.id, 2),
          bookings.update(rejected.id, 2, { purpose: "Again" })
        ])
          assert.strictEqual((yield* Effect.flip(as(manager, step)))._tag, "InvalidTransition")
      })
  )
})

layer(memory, { excludeTestServices: true })("Bookings on memory storage: edits and versions", (it) => {
  it.effect("cancelling or rejecting frees the time at once, for the same unit and window", () =>
    Effect.gen(function* () {
      const bookings = yield* Bookings.Bookings
      const { manager, member, unitIds } = yield* shop
      const ask = request(9, 12, [{ unitId: unitIds[0] }])
      const cancelled = yield* as(member, bookings.cancel((yield* as(member, bookings.create(ask))).id, 1))
      const rejected = yield* as(manager, bookings.reject((yield* as(member, bookings.create(ask))).id, 1))
      const third = yield* as(member, bookings.create(ask))
      assert.deepStrictEqual(
        [cancelled.status, cancelled.cancelledAt !== null, rejected.status, third.status],
        ["CANCELLED", true, "REJECTED", "PENDING"]
      )
      assert.deepStrictEqual((yield* topicsOf(member.orgId)).slice(1, 4), [
        "booking.cancelled",
        "booking.created",
        "booking.rejected"
      ])
    })
  )

  it.effect(
    "an edit is checked against other bookings only: a clash changes nothing; a new unit frees the old",
    () =>
      Effect.gen(function* () {
        const bookings = yield* Bookings.Bookings
        const { manager, member, unitIds } = yield* shop
        const [first, second] = unitIds
        const booking = yield* as(member, bookings.create(request(9, 12, [{ unitId: first }])))
        // Its own old time never clashes with its new time.
        const moved = yield* as(member, bookings.update(booking.id, 1, { startAt: at(10), endAt: at(13) }))
        assert.deepStrictEqual([moved.startAt, moved.endAt, moved.version], [at(10), at(13), 2])
        yield* as(manager, bookings.create(request(14, 16, [{ unitId: first }])))
        const clash = yield* Effect.flip(as(member, bookings.update(booking.id, 2, { endAt: at(15) })))
        assert.strictEqual(clash._tag, "Conflict")
        assert.deepStrictEqual((yield* as(member, bookings.get(booking.id))).endAt, at(13))
        const swapped = yield* as(member, bookings.update(booking.id, 2, { items: [{ unitId: second }] }))
        assert.deepStrictEqual(
          swapped.items.map((item) => item.unitId),
          [second]
        )
        yield* as(manager, bookings.create(request(10, 13, [{ unitId: first }])))
        const updates = (yield* topicsOf(member.orgId)).filter((topic) => topic === "booking.updated")
        assert.strictEqual(updates.length, 2, "the refused edit left no message")
      })
  )

  it.effect("a change needs the current version: a stale one is refused and changes nothing", () =>
    Effect.gen(function* () {
      const bookings = yield* Bookings.Bookings
      const { manager, member, unitIds } = yield* shop
      const booking = yield* as(member, bookings.create(request(9, 10, [{ unitId: unitIds[0] }])))
      yield* as(member, bookings.update(booking.id, 1, { purpose: "Interview" }))
      const stale = yield* Effect.flip(as(manager, bookings.approve(booking.id, 1)))
      assert.strictEqual(stale._tag, "PreconditionFailed")
      const missing = yield* Effect.flip(as(manager, bookings.approve(booking.id, "missing")))
      assert.strictEqual(missing._tag, "PreconditionRequired")
      const now = yield* as(member, bookings.get(booking.id))
      assert.deepStrictEqual([now.status, now.purpose, now.version], ["PENDING", "Interview", 2])
    })
  )
})

layer(memory, { excludeTestServices: true })("Bookings on memory storage: who may ask for what", (it) => {
  it.effect(
    "a member sees and changes only their own bookings, and may not approve; a manager sees all",
    () =>
      Effect.gen(function* () {
        const bookings = yield* Bookings.Bookings
        const { manager, member, unitIds } = yield* shop
        const colleague = yield* actorIn(manager.orgId, "member")
        const mine = yield* as(member, bookings.create(request(9, 10, [{ unitId: unitIds[0] }])))
        const theirs = yield* as(colleague, bookings.create(request(9, 10, [{ unitId: unitIds[1] }])))
        const listed = yield* as(member, bookings.list({ limit: 10, filters: {} }))
        assert.deepStrictEqual(
          listed.items.map((one) => one.id),
          [mine.id]
        )
        const all = yield* as(manager, bookings.list({ limit: 10, filters: {} }))
        assert.deepStrictEqual(all.items.map((one) => one.id).sort(), [mine.id, theirs.id].sort())
        assert.strictEqual((yield* Effect.flip(as(member, bookings.get(theirs.id))))._tag, "NotFound")
        assert.strictEqual((yield* Effect.flip(as(member, bookings.cancel(theirs.id, 1))))._tag, "NotFound")
        assert.strictEqual((yield* Effect.flip(as(member, bookings.approve(mine.id, 1))))._tag, "Forbidden")
        assert.strictEqual((yield* as(manager, bookings.cancel(theirs.id, 1))).status, "CANCELLED")
      })
  )

  it.effect("another org's booking and units are not found", () =>
    Effect.gen(function* () {
      const bookings = yield* Bookings.Bookings
      const { member, camera, unitIds } = yield* shop
      const booking = yield* as(member, bookings.create(request(9, 10, [{ unitId: unitIds[0] }])))
      const outsider = yield* stranger
      assert.strictEqual((yield* Effect.flip(as(outsider, bookings.get(booking.id))))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(as(outsider, bookings.cancel(booking.id, 1))))._tag, "NotFound")
      const theirUnit = yield* Effect.flip(
        as(outsider, bookings.create(request(11, 12, [{ unitId: unitIds[1] }])))
      )
      assert.strictEqual(theirUnit._tag, "NotFound")
      const theirResource = yield* Effect.flip(
        as(outsider, bookings.create(request(11, 12, [{ resourceId: camera.id }])))
      )
      assert.strictEqual(theirResource._tag, "NotFound")
    })
  )

  it.effect(
    "a request must end after it starts, lie ahead, name each unit once and only bookable units",
    () =>
      Effect.gen(function* () {
        const bookings = yield* Bookings.Bookings
        const { manager, member, camera, unitIds } = yield* shop
        const item = [{ unitId: unitIds[0] }]
        const refusal = (input: Bookings.NewBooking) =>
          Effect.map(Effect.flip(as(member, bookings.create(input))), (error) => error._tag)
        const past = { ...request(9, 10, item), startAt: DateTime.makeUnsafe(Date.UTC(2020, 0, 1)) }
        assert.deepStrictEqual(
          [
            yield* refusal(request(10, 9, item)),
            yield* refusal(past),
            yield* refusal(request(9, 10, [...item, ...item]))
          ],
          ["ValidationFailed", "ValidationFailed", "ValidationFailed"]
        )
        const resting = yield* unit(manager.orgId, camera.id, "MAINTENANCE")
        assert.strictEqual(yield* refusal(request(9, 10, [{ unitId: resting.id }])), "NotBookable")
        // An available unit of a resource taken out of service is not bookable either.
        const disabled = yield* resource(manager.orgId, [])
        const inside = yield* unit(manager.orgId, disabled.id)
        yield* Effect.orDie(
          (yield* ResourceRepo).update(manager.orgId, disabled.id, 1, { status: "DISABLED" })
        )
        assert.strictEqual(yield* refusal(request(9, 10, [{ unitId: inside.id }])), "NotBookable")
        assert.strictEqual(yield* refusal(request(9, 10, [{ resourceId: disabled.id }])), "NotBookable")
        assert.deepStrictEqual(yield* auditedOf(manager.orgId), [])
      })
  )
})
