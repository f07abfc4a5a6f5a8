import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Option } from "effect"
import * as BookingSeries from "../../src/bookings/BookingSeries.ts"
import * as Bookings from "../../src/bookings/Bookings.ts"
import type { UnitId } from "../../src/inventory/ResourceUnit.ts"
import { Ids, type OrgId } from "../../src/kernel/Ids.ts"
import * as FreedTime from "../../src/ledger/FreedTime.ts"
import * as Events from "../../src/notifications/NotificationEvents.ts"
import { org } from "../../src/testing/IdentityFixtures.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { actorIn, as, auditedOf, messagesOf, stranger, topicsOf, unit } from "../support/UseCases.ts"

// The booking series use case on the memory adapters, over the bookings use case as `Rota.layer`
// wires it: recurrence, per-occurrence outcomes and cancelling the rest, in milliseconds.
const memory = BookingSeries.layer.pipe(
  Layer.provideMerge(Bookings.layer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer, FreedTime.ignored))
)

const utc = (month: number, day: number, hour: number, minute = 0) =>
  DateTime.makeUnsafe(Date.UTC(2040, month - 1, day, hour, minute))

/** An org in Europe/Paris with a manager, a member and a unit. */
const school = Effect.gen(function* () {
  const { id: orgId } = yield* org("School")
  const unitId = (yield* unit(orgId, (yield* resource(orgId, [])).id)).id
  return { manager: yield* actorIn(orgId, "manager"), member: yield* actorIn(orgId, "member"), unitId }
})

/**
 * Monday lessons from 19 March 2040, 09:00-10:30 in Paris (08:00Z, winter time); summer time
 * starts on Sunday the 25th.
 */
const lessons = (unitId: UnitId, rule: string, more: Partial<BookingSeries.NewSeries> = {}) => ({
  startAt: utc(3, 19, 8),
  endAt: utc(3, 19, 9, 30),
  purpose: "Lesson",
  items: [{ unitId }],
  rule,
  ...more
})

layer(memory, { excludeTestServices: true })("Booking series on memory storage: occurrences", (it) => {
  it.effect(
    "a weekly series books each occurrence at the same wall-clock time across summer time, skips its exceptions, audited and announced",
    () =>
      Effect.gen(function* () {
        const series = yield* BookingSeries.BookingSeries
        const bookings = yield* Bookings.Bookings
        const { member, unitId } = yield* school
        const created = yield* as(
          member,
          series.create(lessons(unitId, "FREQ=WEEKLY;COUNT=4", { exceptions: ["2040-04-02"] }))
        )
        assert.deepStrictEqual(
          [created.timeZone, created.requesterId, ...created.occurrences.map((one) => one.outcome)],
          ["Europe/Paris", member.accountId, "created", "created", "skipped", "created"]
        )
        assert.deepStrictEqual(
          created.occurrences.map((one) => [one.date, one.startAt]),
          [
            ["2040-03-19", utc(3, 19, 8)],
            ["2040-03-26", utc(3, 26, 7)],
            ["2040-04-02", utc(4, 2, 7)],
            ["2040-04-09", utc(4, 9, 7)]
          ]
        )
        const second = yield* as(member, bookings.get(created.occurrences[1]!.bookingId!))
        assert.deepStrictEqual(
          [second.status, second.startAt, second.endAt],
          ["PENDING", utc(3, 26, 7), utc(3, 26, 8, 30)]
        )
        assert.deepStrictEqual(yield* auditedOf(member.orgId), [
          "booking.CREATE",
          "booking.CREATE",
          "booking.CREATE",
          "booking_series.CREATE"
        ])
        assert.deepStrictEqual((yield* topicsOf(member.orgId)).slice(-1), ["booking_series.created"])
        assert.strictEqual((yield* as(member, series.get(created.id))).id, created.id)
      })
  )

  it.effect("an occurrence whose unit is taken is reported with the clash; the others are still booked", () =>
    Effect.gen(function* () {
      const series = yield* BookingSeries.BookingSeries
      const bookings = yield* Bookings.Bookings
      const { manager, member, unitId } = yield* school
      const taken = { startAt: utc(3, 26, 7), endAt: utc(3, 26, 8), purpose: "Exam", items: [{ unitId }] }
      yield* as(manager, bookings.create(taken))
      const created = yield* as(member, series.create(lessons(unitId, "FREQ=WEEKLY;COUNT=3")))
      assert.deepStrictEqual(
        created.occurrences.map((one) => [one.outcome, one.bookingId === null]),
        [
          ["created", false],
          ["conflict", true],
          ["created", false]
        ]
      )
      assert.deepStrictEqual(
        created.occurrences[1]!.conflicts.map((clash) => [clash.subjectId, clash.startAt, clash.endAt]),
        [[unitId, utc(3, 26, 7), utc(3, 26, 8)]]
      )
    })
  )
})

layer(memory, { excludeTestServices: true })(
  "Booking series on memory storage: all or nothing, and cancelling the rest",
  (it) => {
    it.effect("with allOrNothing, one clash refuses the whole series and nothing is written", () =>
      Effect.gen(function* () {
        const series = yield* BookingSeries.BookingSeries
        const bookings = yield* Bookings.Bookings
        const { manager, member, unitId } = yield* school
        const taken = { startAt: utc(4, 2, 8), endAt: utc(4, 2, 9), purpose: "Exam", items: [{ unitId }] }
        yield* as(manager, bookings.create(taken))
        const refused = yield* Effect.flip(
          as(member, series.create(lessons(unitId, "FREQ=WEEKLY;COUNT=3", { allOrNothing: true })))
        )
        assert.strictEqual(refused._tag, "SeriesConflict")
        if (refused._tag === "SeriesConflict")
          assert.deepStrictEqual(
            refused.occurrences.map((one) => one.outcome),
            ["created", "created", "conflict"]
          )
        assert.deepStrictEqual(yield* auditedOf(member.orgId), ["booking.CREATE"])
        const mine = yield* as(member, bookings.list({ limit: 10, filters: {} }))
        assert.deepStrictEqual(mine.items, [], "the occurrences booked before the clash were rolled back")
      })
    )

    it.effect(
      "cancelling from an occurrence cancels it and the following ones that may still be cancelled, keeping the rest",
      () =>
        Effect.gen(function* () {
          const series = yield* BookingSeries.BookingSeries
          const bookings = yield* Bookings.Bookings
          const { manager, unitId } = yield* school
          const created = yield* as(manager, series.create(lessons(unitId, "FREQ=WEEKLY;COUNT=4")))
          const [first, second, third, fourth] = created.occurrences.map((one) => one.bookingId!)
          yield* as(manager, bookings.checkOut(third!, 1))
          const result = yield* as(manager, series.cancelFrom(created.id, utc(3, 26, 7)))
          assert.deepStrictEqual([result.cancelled, result.kept], [[second, fourth], [third]])
          const statuses = yield* Effect.forEach([first, second, third, fourth], (id) =>
            Effect.map(as(manager, bookings.get(id!)), (booking) => booking.status)
          )
          assert.deepStrictEqual(statuses, ["APPROVED", "CANCELLED", "CHECKED_OUT", "CANCELLED"])
          assert.deepStrictEqual((yield* auditedOf(manager.orgId)).slice(-1), ["booking_series.UPDATE"])
          assert.deepStrictEqual((yield* topicsOf(manager.orgId)).slice(-1), ["booking_series.cancelled"])
        })
    )
  }
)

layer(memory, { excludeTestServices: true })("Booking series on memory storage: who and what", (it) => {
  it.effect("a member sees and cancels only their own series; another org's series is not found", () =>
    Effect.gen(function* () {
      const series = yield* BookingSeries.BookingSeries
      const { manager, member, unitId } = yield* school
      const created = yield* as(member, series.create(lessons(unitId, "FREQ=DAILY;COUNT=2")))
      const colleague = yield* actorIn(member.orgId, "member")
      assert.strictEqual((yield* Effect.flip(as(colleague, series.get(created.id))))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(as(colleague, series.cancelFrom(created.id))))._tag, "NotFound")
      const outsider = yield* stranger
      assert.strictEqual((yield* Effect.flip(as(outsider, series.get(created.id))))._tag, "NotFound")
      assert.strictEqual((yield* as(manager, series.get(created.id))).id, created.id)
    })
  )

  it.effect(
    "the rule must be one the series understands and leave an occurrence; times fall on whole minutes",
    () =>
      Effect.gen(function* () {
        const series = yield* BookingSeries.BookingSeries
        const { member, unitId } = yield* school
        const refusals = [
          lessons(unitId, "FREQ=YEARLY;COUNT=2"),
          lessons(unitId, "FREQ=WEEKLY"),
          lessons(unitId, "FREQ=DAILY;COUNT=367"),
          lessons(unitId, "FREQ=DAILY;COUNT=1", { exceptions: ["2040-03-19"] }),
          lessons(unitId, "FREQ=DAILY;COUNT=2", { startAt: DateTime.add(utc(3, 19, 8), { seconds: 30 }) }),
          lessons(unitId, "FREQ=DAILY;COUNT=2", { startAt: utc(3, 19, 10) })
        ]
        const fields = yield* Effect.forEach(refusals, (input) =>
          Effect.map(Effect.flip(as(member, series.create(input))), (error) =>
            error._tag === "ValidationFailed" ? error.errors[0]?.path[1] : error._tag
          )
        )
        assert.deepStrictEqual(fields, ["rule", "rule", "rule", "rule", "startAt", "endAt"])
        assert.deepStrictEqual(yield* auditedOf(member.orgId), [])
      })
  )
})

layer(memory, { excludeTestServices: true })("Booking series on memory storage: approvers", (it) => {
  // What the org's messages tell people: each read as the notifier reads it.
  const eventsOf = (orgId: OrgId) =>
    Effect.map(messagesOf(orgId), (messages) =>
      messages.flatMap((message) =>
        Option.match(Events.eventOf(message), {
          onNone: () => [],
          onSome: (event) => [{ topic: message.topic, ...event }]
        })
      )
    )

  it.effect(
    "a pending series tells the approvers once, of the series; its occurrences, which name it, tell nobody",
    () =>
      Effect.gen(function* () {
        const series = yield* BookingSeries.BookingSeries
        const { member, unitId } = yield* school
        const created = yield* as(member, series.create(lessons(unitId, "FREQ=WEEKLY;COUNT=4")))
        const occurrences = (yield* messagesOf(member.orgId)).filter(
          (message) => message.topic === "booking.created"
        )
        assert.deepStrictEqual(
          occurrences.map((message) => message.payload),
          created.occurrences.map((occurrence) => ({
            id: occurrence.bookingId,
            status: "PENDING",
            requesterId: member.accountId,
            version: 1,
            seriesId: created.id
          }))
        )
        assert.deepStrictEqual(yield* eventsOf(member.orgId), [
          {
            topic: "booking_series.created",
            kind: "booking_series.submitted",
            audience: { _tag: "Permitted", permission: "booking.approve" },
            subjectType: "booking_series",
            subjectId: created.id,
            facts: {
              seriesId: created.id,
              pending: 4,
              rule: "FREQ=WEEKLY;COUNT=4",
              requesterId: member.accountId
            }
          }
        ])
      })
  )

  it.effect("a series approved at once asks no approver anything", () =>
    Effect.gen(function* () {
      const series = yield* BookingSeries.BookingSeries
      const { manager, unitId } = yield* school
      const created = yield* as(manager, series.create(lessons(unitId, "FREQ=WEEKLY;COUNT=4")))
      assert.deepStrictEqual(
        created.occurrences.map((occurrence) => occurrence.outcome),
        ["created", "created", "created", "created"]
      )
      assert.strictEqual(
        (yield* topicsOf(manager.orgId)).filter((topic) => topic === "booking.created").length,
        4
      )
      assert.deepStrictEqual(yield* eventsOf(manager.orgId), [])
    })
  )
})
