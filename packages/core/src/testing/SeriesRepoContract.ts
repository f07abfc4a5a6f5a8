/**
 * The contract of every `SeriesRepo` adapter: a series is found in its org only, with its
 * occurrences' outcomes in start order (the conflicts a report named are not kept: they were
 * true when the series was made), and answers the bookings of its occurrences from a given
 * instant on, earliest first.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { Booking, BookingId } from "../bookings/Booking.ts"
import { BookingRepo } from "../bookings/BookingRepos.ts"
import { BookingSeries, BookingSeriesId, type OccurrenceReport, type Outcome } from "../bookings/Series.ts"
import { SeriesRepo } from "../bookings/SeriesRepo.ts"
import { AccountId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"

/** 09:00 UTC on day `day` of March 2030. */
const morning = (day: number) => DateTime.makeUnsafe(Date.UTC(2030, 2, day, 9))

/** A stored booking of the occurrence on `day`, which series occurrences may name. */
const bookingOn = (orgId: OrgId, requesterId: AccountId, day: number) =>
  Effect.gen(function* () {
    const booking = new Booking({
      id: yield* nextId(BookingId),
      orgId,
      requesterId,
      status: "APPROVED",
      startAt: morning(day),
      endAt: DateTime.add(morning(day), { hours: 1 }),
      purpose: "Weekly lesson",
      items: [],
      version: 1,
      createdAt: morning(1),
      approvedBy: null,
      approvedAt: null,
      cancelledAt: null,
      checkedOutAt: null,
      returnedAt: null,
      lateMinutes: 0
    })
    return (yield* (yield* BookingRepo).insert(booking)).id
  })

const occurrence = (day: number, outcome: Outcome, bookingId: BookingId | null): OccurrenceReport => ({
  date: `2030-03-${String(day).padStart(2, "0")}`,
  startAt: morning(day),
  endAt: DateTime.add(morning(day), { hours: 1 }),
  outcome,
  bookingId,
  conflicts:
    outcome === "conflict"
      ? [{ subjectType: "unit", subjectId: "u", startAt: morning(day), endAt: morning(day + 1) }]
      : []
})

/** A stored weekly series of March 2030: created on the 4th, a conflict on the 11th, skipped on the 18th, created on the 25th. */
const weekly = (orgId: OrgId) =>
  Effect.gen(function* () {
    const requesterId = yield* nextId(AccountId)
    const first = yield* bookingOn(orgId, requesterId, 4)
    const last = yield* bookingOn(orgId, requesterId, 25)
    const series = new BookingSeries({
      id: yield* nextId(BookingSeriesId),
      orgId,
      requesterId,
      rule: "FREQ=WEEKLY;COUNT=4",
      exceptions: ["2030-03-18"],
      timeZone: "Europe/Paris",
      purpose: "Weekly lesson",
      createdAt: morning(1),
      occurrences: [
        occurrence(4, "created", first),
        occurrence(11, "conflict", null),
        occurrence(18, "skipped", null),
        occurrence(25, "created", last)
      ]
    })
    const stored = yield* (yield* SeriesRepo).insert(series)
    return { series: stored, bookings: [first, last] as const }
  })

/**
 * @since 0.1.0
 * @category suites
 */
export const SeriesRepoContract: ContractSuite<SeriesRepo | BookingRepo | Ids> = {
  name: "SeriesRepo",
  cases: [
    {
      name: "a series is found in its org only, its occurrences' outcomes in start order",
      run: Effect.gen(function* () {
        const repo = yield* SeriesRepo
        const orgId = yield* nextId(OrgId)
        const { series } = yield* weekly(orgId)
        const kept = new BookingSeries({
          ...series,
          occurrences: series.occurrences.map((report) => ({ ...report, conflicts: [] }))
        })
        yield* expectEqual(yield* repo.find(orgId, series.id), Option.some(kept), "found, without conflicts")
        yield* expectEqual(
          Option.isNone(yield* repo.find(yield* nextId(OrgId), series.id)),
          true,
          "another org"
        )
        yield* expectEqual(Option.isNone(yield* repo.find(orgId, "not-a-uuid")), true, "a malformed id")
        yield* expectEqual(
          Option.isNone(yield* repo.find(orgId, yield* nextId(BookingSeriesId))),
          true,
          "an unknown id"
        )
      })
    },
    {
      name: "answers the bookings of its occurrences starting at or after an instant, earliest first",
      run: Effect.gen(function* () {
        const repo = yield* SeriesRepo
        const orgId = yield* nextId(OrgId)
        const { series, bookings } = yield* weekly(orgId)
        yield* expectEqual(yield* repo.bookingsFrom(orgId, series.id, morning(1)), bookings, "all of them")
        yield* expectEqual(
          yield* repo.bookingsFrom(orgId, series.id, morning(4)),
          bookings,
          "from the first one's start"
        )
        yield* expectEqual(
          yield* repo.bookingsFrom(orgId, series.id, DateTime.add(morning(4), { minutes: 1 })),
          [bookings[1]],
          "after the first one started"
        )
        yield* expectEqual(yield* repo.bookingsFrom(orgId, series.id, morning(26)), [], "after the last one")
        yield* expectEqual(
          yield* repo.bookingsFrom(yield* nextId(OrgId), series.id, morning(1)),
          [],
          "from another org"
        )
        yield* expectEqual(yield* repo.bookingsFrom(orgId, "not-a-uuid", morning(1)), [], "a malformed id")
      })
    }
  ]
}
