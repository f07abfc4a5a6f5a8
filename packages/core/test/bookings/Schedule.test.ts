import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import * as Schedule from "../../src/bookings/Schedule.ts"
import { UnitId } from "../../src/inventory/ResourceUnit.ts"
import { Ids, nextId, Uuid } from "../../src/kernel/Ids.ts"
import { Ledger, type Source, type Subject } from "../../src/ledger/Ledger.ts"
import { account, join, org } from "../../src/testing/IdentityFixtures.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { actorIn, as, stranger, unit } from "../support/UseCases.ts"

// The schedule use case on the memory adapters: what holds a unit's or a person's time, read
// straight from the ledger.
const memory = Schedule.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

/** Hour `n` of 2040-01-01. */
const at = (n: number) => DateTime.makeUnsafe(Date.UTC(2040, 0, 1, n))

const window = (from: number, to: number) => ({ startAt: at(from), endAt: at(to) })

/** A stored org with a manager, a technician and a unit. */
const planning = Effect.gen(function* () {
  const { id: orgId } = yield* org("Planning")
  const technician = yield* account({ name: "tech" })
  yield* join(orgId, technician.id, "technician")
  const unitId = (yield* unit(orgId, (yield* resource(orgId, [])).id)).id
  return { manager: yield* actorIn(orgId, "manager"), technicianId: technician.id, unitId }
})

/** Claims `subject` from `from` to `to` for a new source of `type`. */
const claim = (orgId: Parameters<Ledger["Service"]["claim"]>[0], subject: Subject, type: Source["type"]) =>
  Effect.fnUntraced(function* (from: number, to: number) {
    const source = { type, id: yield* nextId(Uuid) }
    yield* (yield* Ledger).claim(orgId, [{ subject, interval: window(from, to), source }])
    return source
  })

layer(memory, { excludeTestServices: true })("Schedule on memory storage", (it) => {
  it.effect("a unit's schedule lists what holds it in the window, by start, whatever holds it", () =>
    Effect.gen(function* () {
      const schedule = yield* Schedule.Schedule
      const { manager, unitId } = yield* planning
      const subject = { type: "unit" as const, id: unitId }
      const blackout = yield* claim(manager.orgId, subject, "blackout")(14, 16)
      const booking = yield* claim(manager.orgId, subject, "booking")(9, 11)
      yield* claim(manager.orgId, subject, "booking")(20, 22)
      const released = yield* claim(manager.orgId, subject, "booking")(11, 12)
      yield* (yield* Ledger).release(manager.orgId, released)
      const held = yield* as(manager, schedule.occupied({ unitId }, window(8, 18)))
      assert.deepStrictEqual(
        held.map((allocation) => [allocation.source, allocation.interval.startAt]),
        [
          [booking, at(9)],
          [blackout, at(14)]
        ]
      )
      // Half-open: a claim ending where the window starts is not in it.
      assert.deepStrictEqual(yield* as(manager, schedule.occupied({ unitId }, window(11, 14))), [])
    })
  )

  it.effect("a person's schedule shows their assignments; a unit's claims are not theirs", () =>
    Effect.gen(function* () {
      const schedule = yield* Schedule.Schedule
      const { manager, technicianId, unitId } = yield* planning
      const assignment = yield* claim(
        manager.orgId,
        { type: "person", id: technicianId },
        "assignment"
      )(9, 17)
      yield* claim(manager.orgId, { type: "unit", id: unitId }, "booking")(9, 17)
      const held = yield* as(manager, schedule.occupied({ accountId: technicianId }, window(0, 24)))
      assert.deepStrictEqual(
        held.map((allocation) => [allocation.subject, allocation.source]),
        [[{ type: "person", id: technicianId }, assignment]]
      )
    })
  )

  it.effect("the query names exactly one subject, over a window that ends after it starts", () =>
    Effect.gen(function* () {
      const schedule = yield* Schedule.Schedule
      const { manager, technicianId, unitId } = yield* planning
      const refusals = [
        schedule.occupied({ unitId, accountId: technicianId }, window(8, 18)),
        schedule.occupied({}, window(8, 18)),
        schedule.occupied({ unitId }, window(18, 8)),
        schedule.occupied({ unitId }, window(8, 8))
      ]
      for (const refused of refusals)
        assert.strictEqual((yield* Effect.flip(as(manager, refused)))._tag, "ValidationFailed")
    })
  )

  it.effect(
    "a member may not read schedules; another org's unit, or someone not a member, is not found",
    () =>
      Effect.gen(function* () {
        const schedule = yield* Schedule.Schedule
        const { manager, technicianId, unitId } = yield* planning
        const member = yield* actorIn(manager.orgId, "member")
        const forbidden = yield* Effect.flip(as(member, schedule.occupied({ unitId }, window(8, 18))))
        assert.strictEqual(forbidden._tag, "Forbidden")
        const outsider = yield* stranger
        const theirUnit = yield* Effect.flip(as(outsider, schedule.occupied({ unitId }, window(8, 18))))
        const theirPerson = yield* Effect.flip(
          as(outsider, schedule.occupied({ accountId: technicianId }, window(8, 18)))
        )
        assert.deepStrictEqual([theirUnit._tag, theirPerson._tag], ["NotFound", "NotFound"])
        const unknown = yield* Effect.flip(
          as(manager, schedule.occupied({ unitId: yield* nextId(UnitId) }, window(8, 18)))
        )
        assert.strictEqual(unknown._tag, "NotFound")
      })
  )
})
