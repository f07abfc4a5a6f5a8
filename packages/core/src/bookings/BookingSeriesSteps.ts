/**
 * The steps of the booking series use case: what it works with, the occurrences a request asks
 * for, booking each in its own savepoint, and the writes, each with its audit event and message
 * in one transaction.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option, Result } from "effect"
import { OrgRepo } from "../identity/IdentityRepos.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { LocalDate } from "../kernel/Calendar.ts"
import * as Calendar from "../kernel/Calendar.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import { NotFound } from "../kernel/Errors.ts"
import { type Ids, nextId, type OrgId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { BookingId } from "./Booking.ts"
import * as Rules from "./BookingRules.ts"
import { Bookings } from "./Bookings.ts"
import * as Series from "./Series.ts"
import { SeriesRepo } from "./SeriesRepo.ts"
import * as SeriesRule from "./SeriesRule.ts"

/**
 * A series request: the first occurrence as a booking request, the rule, its exceptions (local
 * days), and whether any clash refuses the whole series.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewSeries extends Rules.NewBooking {
  readonly rule: string
  readonly exceptions?: ReadonlyArray<LocalDate> | undefined
  readonly allOrNothing?: boolean | undefined
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    bookings: yield* Bookings,
    series: yield* SeriesRepo,
    orgs: yield* OrgRepo,
    transactor: yield* Transactor,
    context: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>

const wholeMinute = (instant: DateTime.Utc): boolean => DateTime.toEpochMillis(instant) % 60_000 === 0

// An org whose zone the runtime does not know recurs in UTC rather than not at all.
const timeZoneOf = (deps: Deps, orgId: OrgId) =>
  Effect.map(deps.orgs.findById(orgId), (org) =>
    Option.isSome(org) && Calendar.isTimeZone(org.value.timezone) ? org.value.timezone : "UTC"
  )

const occurrencesOf = Effect.fnUntraced(function* (input: NewSeries, timeZone: string) {
  const interval = { startAt: input.startAt, endAt: input.endAt }
  const problem = Rules.intervalProblem(interval, yield* DateTime.now)
  if (problem !== undefined) return yield* problem
  if (!wholeMinute(input.startAt) || !wholeMinute(input.endAt))
    return yield* Rules.invalid("startAt", "a series starts and ends on whole minutes")
  const expanded = Result.flatMap(SeriesRule.parse(input.rule, timeZone), (rule) =>
    SeriesRule.expand(rule, { ...interval, timeZone }, input.exceptions ?? [])
  )
  if (Result.isFailure(expanded)) return yield* Rules.invalid("rule", expanded.failure)
  if (expanded.success.every((occurrence) => occurrence.excepted))
    return yield* Rules.invalid("rule", "the rule leaves no occurrence to book")
  return expanded.success
})

// One occurrence, booked in a savepoint so that a refusal undoes its own writes only; and
// whether it waits for an approver.
const book = (
  deps: Deps,
  seriesId: Series.BookingSeriesId,
  input: NewSeries,
  occurrence: SeriesRule.Occurrence
) => {
  const report = { date: occurrence.date, ...occurrence.interval, bookingId: null, conflicts: [] }
  type Booked = { readonly report: Series.OccurrenceReport; readonly pending: boolean }
  if (occurrence.excepted)
    return Effect.succeed<Booked>({ report: { ...report, outcome: "skipped" }, pending: false })
  return deps.transactor
    .savepoint(
      deps.bookings.createInSeries(
        { ...occurrence.interval, purpose: input.purpose, items: input.items },
        seriesId
      )
    )
    .pipe(
      Effect.map(
        (booking): Booked => ({
          report: { ...report, outcome: "created", bookingId: booking.id },
          pending: booking.status === "PENDING"
        })
      ),
      Effect.catchTag("Conflict", (conflict) =>
        Effect.succeed<Booked>({
          report: { ...report, outcome: "conflict", conflicts: conflict.conflicts },
          pending: false
        })
      )
    )
}

const counts = (occurrences: ReadonlyArray<Series.OccurrenceReport>, pending: number) => ({
  created: occurrences.filter((occurrence) => occurrence.outcome === "created").length,
  pending,
  conflict: occurrences.filter((occurrence) => occurrence.outcome === "conflict").length,
  skipped: occurrences.filter((occurrence) => occurrence.outcome === "skipped").length
})

/**
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) =>
  Effect.fnUntraced(function* (input: NewSeries) {
    yield* Permissions.require("booking.create")
    const actor = yield* CurrentActor
    const timeZone = yield* timeZoneOf(deps, actor.orgId)
    const occurrences = yield* occurrencesOf(input, timeZone)
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        // The id comes first: each occurrence's message names its series.
        const id = yield* nextId(Series.BookingSeriesId)
        const reports: Array<Series.OccurrenceReport> = []
        let pending = 0
        for (const occurrence of occurrences) {
          const booked = yield* book(deps, id, input, occurrence)
          reports.push(booked.report)
          if (booked.pending) pending++
        }
        if (input.allOrNothing === true && reports.some((report) => report.outcome === "conflict"))
          return yield* new Series.SeriesConflict({ occurrences: reports })
        const created = yield* deps.series.insert(
          new Series.BookingSeries({
            id,
            orgId: actor.orgId,
            requesterId: actor.accountId,
            rule: input.rule,
            exceptions: input.exceptions ?? [],
            timeZone,
            purpose: input.purpose,
            createdAt: yield* DateTime.now,
            occurrences: reports
          })
        )
        const summary = {
          id: created.id,
          requesterId: created.requesterId,
          rule: created.rule,
          timeZone,
          ...counts(reports, pending)
        }
        yield* ChangeRecord.record(
          { entityType: "booking_series", entityId: created.id, action: "CREATE", after: summary },
          { orgId: actor.orgId, topic: "booking_series.created", payload: summary }
        )
        return created
      })
    )
  }, Effect.provide(deps.context))

/**
 * A series the caller may see; any other is not found.
 *
 * @since 0.1.0
 * @category steps
 */
export const visible = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    yield* Permissions.require("booking.create")
    const actor = yield* CurrentActor
    const found = yield* deps.series.find(actor.orgId, id)
    if (
      Option.isNone(found) ||
      (found.value.requesterId !== actor.accountId && !Permissions.allows(actor, "booking.read_all"))
    )
      return yield* new NotFound({ entity: "booking_series", id })
    return found.value
  })

/**
 * Cancels the series' bookings starting at or after `since` (now when not given) that may still
 * be cancelled.
 *
 * @since 0.1.0
 * @category steps
 */
export const cancelFrom = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, since?: DateTime.Utc) {
    const found = yield* visible(deps)(id)
    const from = since ?? (yield* DateTime.now)
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const cancelled: Array<BookingId> = []
        const kept: Array<BookingId> = []
        for (const bookingId of yield* deps.series.bookingsFrom(found.orgId, id, from)) {
          // Checked out, returned, rejected or already cancelled: that booking stays as it is.
          const done = yield* deps.bookings.cancel(bookingId, undefined).pipe(
            Effect.as(true),
            Effect.catchTag("InvalidTransition", () => Effect.succeed(false))
          )
          ;(done ? cancelled : kept).push(bookingId)
        }
        const result = { seriesId: found.id, cancelled, kept }
        const after = { ...result, from: DateTime.formatIso(from) }
        yield* ChangeRecord.record(
          { entityType: "booking_series", entityId: found.id, action: "UPDATE", after },
          { orgId: found.orgId, topic: "booking_series.cancelled", payload: after }
        )
        return result
      })
    )
  }, Effect.provide(deps.context))
