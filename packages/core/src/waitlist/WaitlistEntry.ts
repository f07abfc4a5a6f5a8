/**
 * Waitlist entries: requests for a resource at a time when no unit was free, waiting for one to
 * be freed and offered.
 *
 * @since 0.1.0
 */
import { type DateTime, Schema } from "effect"
import { BookingId, Purpose } from "../bookings/Booking.ts"
import { ResourceId } from "../inventory/Resource.ts"
import { UnitId } from "../inventory/ResourceUnit.ts"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const WaitlistEntryId = Uuid.pipe(Schema.brand("WaitlistEntryId"))
/** @since 0.1.0 @category ids */
export type WaitlistEntryId = typeof WaitlistEntryId.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const WaitlistStatus = Schema.Literals([
  "WAITING",
  "OFFERED",
  "ACCEPTED",
  "DECLINED",
  "EXPIRED",
  "CANCELLED",
  "REFUSED"
])
/** @since 0.1.0 @category models */
export type WaitlistStatus = typeof WaitlistStatus.Type

/**
 * The parts of a priority score, so anyone can see why an entry ranks where it does.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScoreParts = Schema.Struct({
  role: Schema.Int,
  waiting: Schema.Int,
  lateReturns: Schema.Int,
  openFines: Schema.Int,
  activeBookings: Schema.Int
})
/** @since 0.1.0 @category models */
export type ScoreParts = typeof ScoreParts.Type

/**
 * @since 0.1.0
 * @category models
 */
export class WaitlistEntry extends Schema.Class<WaitlistEntry>("@rota/core/WaitlistEntry")({
  id: WaitlistEntryId,
  orgId: OrgId,
  requesterId: AccountId,
  resourceId: ResourceId,
  startAt: Schema.DateTimeUtc,
  endAt: Schema.DateTimeUtc,
  purpose: Purpose,
  /** Stored at creation; recomputed whenever the waitlist is listed or an offer is chosen. */
  priorityScore: Schema.Int,
  status: WaitlistStatus,
  offeredUnitId: Schema.NullOr(UnitId),
  /** The offered interval: the entry's own, or an alternative staff proposed. */
  offerStartAt: Schema.NullOr(Schema.DateTimeUtc),
  offerEndAt: Schema.NullOr(Schema.DateTimeUtc),
  offerExpiresAt: Schema.NullOr(Schema.DateTimeUtc),
  bookingId: Schema.NullOr(BookingId),
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc
}) {}

/**
 * An entry with its live score and rank, as listings show it.
 *
 * @since 0.1.0
 * @category models
 */
export class RankedEntry extends Schema.Class<RankedEntry>("@rota/core/RankedEntry")({
  entry: WaitlistEntry,
  rank: Schema.Int,
  priorityScore: Schema.Int,
  scoreParts: ScoreParts
}) {}

/**
 * Listing filters. Ranks run within a resource's line, among the entries of `statuses`; with no
 * statuses named, among the entries of each entry's own status (see {@link ranksByOwnStatus}).
 *
 * @since 0.1.0
 * @category models
 */
export interface WaitlistFilters {
  readonly resourceId?: ResourceId | undefined
  readonly statuses?: ReadonlyArray<WaitlistStatus> | undefined
  readonly requesterId?: AccountId | undefined
}

/**
 * Whether ranks run within each entry's own status: when no status is named. A WAITING entry
 * then has its place in the waiting line, and nobody who has left the line counts ahead of it.
 * Such a listing is ordered by resource, then status (in {@link statusOrder}), then rank.
 *
 * @since 0.1.0
 * @category rules
 */
export const ranksByOwnStatus = (filters: WaitlistFilters): boolean =>
  filters.statuses === undefined || filters.statuses.length === 0

/**
 * The order of the status groups within a resource: the line first, then the open offers, then
 * the closed entries.
 *
 * @since 0.1.0
 * @category rules
 */
export const statusOrder: ReadonlyArray<WaitlistStatus> = WaitlistStatus.literals

/**
 * The offered interval of an entry.
 *
 * @since 0.1.0
 * @category rules
 */
export const offeredInterval = (
  entry: WaitlistEntry
): { readonly startAt: DateTime.Utc; readonly endAt: DateTime.Utc } => ({
  startAt: entry.offerStartAt ?? entry.startAt,
  endAt: entry.offerEndAt ?? entry.endAt
})
