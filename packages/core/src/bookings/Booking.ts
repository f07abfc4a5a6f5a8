/**
 * Bookings: a member's claim on one or more resource units for an interval, held in the time
 * ledger while active, through approval, check-out and return.
 *
 * @since 0.1.0
 */
import { type DateTime, Schema } from "effect"
import { ResourceId } from "../inventory/Resource.ts"
import { UnitId } from "../inventory/ResourceUnit.ts"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { TimestampFromString } from "../kernel/Timestamp.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const BookingId = Uuid.pipe(Schema.brand("BookingId"))
/** @since 0.1.0 @category ids */
export type BookingId = typeof BookingId.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const BookingStatus = Schema.Literals([
  "PENDING",
  "APPROVED",
  "REJECTED",
  "CANCELLED",
  "CHECKED_OUT",
  "OVERDUE",
  "RETURNED"
])
/** @since 0.1.0 @category models */
export type BookingStatus = typeof BookingStatus.Type

/**
 * One unit of a booking, with the resource it belongs to.
 *
 * @since 0.1.0
 * @category models
 */
export const BookingItem = Schema.Struct({ unitId: UnitId, resourceId: ResourceId })
/** @since 0.1.0 @category models */
export type BookingItem = typeof BookingItem.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const Purpose = Schema.String.pipe(
  Schema.check(Schema.isBetweenLength(1, 500), Schema.isPattern(/\S/, { message: "must not be blank" }))
)

/**
 * @since 0.1.0
 * @category models
 */
export class Booking extends Schema.Class<Booking>("@rota/core/Booking")({
  id: BookingId,
  orgId: OrgId,
  requesterId: AccountId,
  status: BookingStatus,
  startAt: Schema.DateTimeUtc,
  endAt: Schema.DateTimeUtc,
  purpose: Purpose,
  /** Sorted by unit id. */
  items: Schema.Array(BookingItem),
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  approvedBy: Schema.NullOr(AccountId),
  approvedAt: Schema.NullOr(Schema.DateTimeUtc),
  cancelledAt: Schema.NullOr(Schema.DateTimeUtc),
  checkedOutAt: Schema.NullOr(Schema.DateTimeUtc),
  returnedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** Minutes past `endAt` of a late return; 0 otherwise. */
  lateMinutes: Schema.Int
}) {}

/**
 * What a request asks for: a given unit, or any free unit of a resource.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RequestedItem = Schema.Union([
  Schema.Struct({ unitId: UnitId }),
  Schema.Struct({ resourceId: ResourceId })
])
/** @since 0.1.0 @category models */
export type RequestedItem = typeof RequestedItem.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const RequestedItems = Schema.Array(RequestedItem).pipe(
  Schema.check(Schema.isMinLength(1), Schema.isMaxLength(20))
)

/**
 * A booking request, as `POST /v1/bookings` takes it (and a CSV import decodes each record).
 *
 * @since 0.1.0
 * @category schemas
 */
export const BookingRequest = Schema.Struct({
  startAt: TimestampFromString,
  endAt: TimestampFromString,
  purpose: Purpose,
  items: RequestedItems
})

/**
 * Listing filters. `from`/`to` keep bookings whose interval overlaps `[from, to)`.
 *
 * @since 0.1.0
 * @category models
 */
export interface BookingFilters {
  readonly statuses?: ReadonlyArray<BookingStatus> | undefined
  readonly requesterId?: AccountId | undefined
  readonly resourceId?: ResourceId | undefined
  readonly unitId?: UnitId | undefined
  readonly from?: DateTime.Utc | undefined
  readonly to?: DateTime.Utc | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type BookingSort = "startAt" | "createdAt"
