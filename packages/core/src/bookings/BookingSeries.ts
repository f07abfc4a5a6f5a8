/**
 * The booking series use case: one request books every occurrence of a recurrence rule, each as
 * an ordinary booking on the time ledger, in one transaction with the series' audit event,
 * outbox message and idempotency record. An occurrence the ledger refuses is reported with the
 * claims in the way (or, with `allOrNothing`, refuses the whole request); "this and the
 * following ones" are cancelled together.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Option, Result } from "effect"
import { OrgRepo } from "../identity/IdentityRepos.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { LocalDate } from "../kernel/Calendar.ts"
import * as Calendar from "../kernel/Calendar.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import {
  type Forbidden,
  type InvalidTransition,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  type ValidationFailed
} from "../kernel/Errors.ts"
import { type Ids, nextId, type OrgId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { BookingId } from "./Booking.ts"
import type { NotBookable } from "./BookingErrors.ts"
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

type Lookup = Forbidden | NotFound

/**
 * @since 0.1.0
 * @category services
 */
export class BookingSeries extends Context.Service<
  BookingSeries,
  {
    readonly create: (
      input: NewSeries
    ) => Effect.Effect<
      Series.BookingSeries,
      Lookup | ValidationFailed | NotBookable | Series.SeriesConflict,
      CurrentActor
    >
    /** Members see their own series only; managers see all. */
    readonly get: (id: string) => Effect.Effect<Series.BookingSeries, Lookup, CurrentActor>
    /**
     * Cancels the series' bookings starting at or after `from` (now when not given) that may
     * still be cancelled.
     */
    readonly cancelFrom: (
      id: string,
      from?: DateTime.Utc | undefined
    ) => Effect.Effect<
      Series.SeriesCancellation,
      Lookup | PreconditionRequired | PreconditionFailed | InvalidTransition,
      CurrentActor
    >
  }
>()("@rota/core/bookings/BookingSeries") {}

const wholeMinute = (instant: DateTime.Utc): boolean => DateTime.toEpochMillis(instant) % 60_000 === 0

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  BookingSeries,
  never,
  Bookings | SeriesRepo | OrgRepo | Transactor | AuditLog | Outbox.Outbox | Ids
> = Layer.effect(
  BookingSeries,
  Effect.gen(function* () {
    const bookings = yield* Bookings
    const series = yield* SeriesRepo
    const orgs = yield* OrgRepo
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    // An org whose zone the runtime does not know recurs in UTC rather than not at all.
    const timeZoneOf = (orgId: OrgId) =>
      Effect.map(orgs.findById(orgId), (org) =>
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

    // One occurrence, booked in a savepoint so that a refusal undoes its own writes only.
    const book = (input: NewSeries, occurrence: SeriesRule.Occurrence) => {
      const report = { date: occurrence.date, ...occurrence.interval, bookingId: null, conflicts: [] }
      if (occurrence.excepted)
        return Effect.succeed<Series.OccurrenceReport>({ ...report, outcome: "skipped" })
      return transactor
        .savepoint(bookings.create({ ...occurrence.interval, purpose: input.purpose, items: input.items }))
        .pipe(
          Effect.map(
            (booking): Series.OccurrenceReport => ({ ...report, outcome: "created", bookingId: booking.id })
          ),
          Effect.catchTag("Conflict", (conflict) =>
            Effect.succeed<Series.OccurrenceReport>({
              ...report,
              outcome: "conflict",
              conflicts: conflict.conflicts
            })
          )
        )
    }

    const counts = (occurrences: ReadonlyArray<Series.OccurrenceReport>) => ({
      created: occurrences.filter((occurrence) => occurrence.outcome === "created").length,
      conflict: occurrences.filter((occurrence) => occurrence.outcome === "conflict").length,
      skipped: occurrences.filter((occurrence) => occurrence.outcome === "skipped").length
    })

    const create = Effect.fn("BookingSeries.create")(function* (input: NewSeries) {
      yield* Permissions.require("booking.create")
      const actor = yield* CurrentActor
      const timeZone = yield* timeZoneOf(actor.orgId)
      const occurrences = yield* occurrencesOf(input, timeZone)
      return yield* transactor.withTransaction(
        Effect.gen(function* () {
          const reports: Array<Series.OccurrenceReport> = []
          for (const occurrence of occurrences) reports.push(yield* book(input, occurrence))
          if (input.allOrNothing === true && reports.some((report) => report.outcome === "conflict"))
            return yield* new Series.SeriesConflict({ occurrences: reports })
          const created = yield* series.insert(
            new Series.BookingSeries({
              id: yield* nextId(Series.BookingSeriesId),
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
          const summary = { id: created.id, rule: created.rule, timeZone, ...counts(reports) }
          yield* ChangeRecord.record(
            { entityType: "booking_series", entityId: created.id, action: "CREATE", after: summary },
            { orgId: actor.orgId, topic: "booking_series.created", payload: summary }
          )
          return created
        })
      )
    }, Effect.provide(context))

    // A series the caller may see; any other is not found.
    const visible = Effect.fnUntraced(function* (id: string) {
      yield* Permissions.require("booking.create")
      const actor = yield* CurrentActor
      const found = yield* series.find(actor.orgId, id)
      if (
        Option.isNone(found) ||
        (found.value.requesterId !== actor.accountId && !Permissions.allows(actor, "booking.read_all"))
      )
        return yield* new NotFound({ entity: "booking_series", id })
      return found.value
    })

    const get = Effect.fn("BookingSeries.get")((id: string) => visible(id))

    const cancelFrom = Effect.fn("BookingSeries.cancelFrom")(function* (id: string, since?: DateTime.Utc) {
      const found = yield* visible(id)
      const from = since ?? (yield* DateTime.now)
      return yield* transactor.withTransaction(
        Effect.gen(function* () {
          const cancelled: Array<BookingId> = []
          const kept: Array<BookingId> = []
          for (const bookingId of yield* series.bookingsFrom(found.orgId, id, from)) {
            // Checked out, returned, rejected or already cancelled: that booking stays as it is.
            const done = yield* bookings.cancel(bookingId, undefined).pipe(
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
    }, Effect.provide(context))

    return BookingSeries.of({ create, get, cancelFrom })
  })
)
