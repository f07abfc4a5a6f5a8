/**
 * A booking series: one request that books every occurrence of a recurrence rule. Each occurrence
 * that could be booked is an ordinary booking (edited or cancelled one by one like any other);
 * the series remembers which occurrence became which booking, so "this and the following ones"
 * can be cancelled together.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { Clash } from "../kernel/Errors.ts"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { BookingId, Purpose } from "./Booking.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const BookingSeriesId = Uuid.pipe(Schema.brand("BookingSeriesId"))
/** @since 0.1.0 @category ids */
export type BookingSeriesId = typeof BookingSeriesId.Type

/**
 * What became of one occurrence: booked, refused by the ledger (with the claims in the way), or
 * skipped as an exception.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Outcome = Schema.Literals(["created", "conflict", "skipped"])
/** @since 0.1.0 @category models */
export type Outcome = typeof Outcome.Type

/**
 * One occurrence of a series and its outcome. `bookingId` is set when it was created;
 * `conflicts` is filled in the answer to the create request only.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OccurrenceReport = Schema.Struct({
  date: Schema.String,
  startAt: Schema.DateTimeUtc,
  endAt: Schema.DateTimeUtc,
  outcome: Outcome,
  bookingId: Schema.NullOr(BookingId),
  conflicts: Schema.Array(Clash)
})
/** @since 0.1.0 @category models */
export type OccurrenceReport = typeof OccurrenceReport.Type

/**
 * @since 0.1.0
 * @category models
 */
export class BookingSeries extends Schema.Class<BookingSeries>("@rota/core/BookingSeries")({
  id: BookingSeriesId,
  orgId: OrgId,
  requesterId: AccountId,
  rule: Schema.String,
  exceptions: Schema.Array(Schema.String),
  timeZone: Schema.String,
  purpose: Purpose,
  createdAt: Schema.DateTimeUtc,
  occurrences: Schema.Array(OccurrenceReport)
}) {}

/**
 * Refused as a whole: the request asked for all occurrences or none, and some clashed. Nothing
 * was written; the report says which.
 *
 * @since 0.1.0
 * @category errors
 */
export class SeriesConflict extends Schema.TaggedError<SeriesConflict>()("SeriesConflict", {
  occurrences: Schema.Array(OccurrenceReport)
}) {}

/**
 * What cancelling the rest of a series did: the bookings cancelled, and those kept because they
 * had gone past the point of cancelling (checked out, returned, already cancelled...).
 *
 * @since 0.1.0
 * @category schemas
 */
export const SeriesCancellation = Schema.Struct({
  seriesId: BookingSeriesId,
  cancelled: Schema.Array(BookingId),
  kept: Schema.Array(BookingId)
})
/** @since 0.1.0 @category models */
export type SeriesCancellation = typeof SeriesCancellation.Type
