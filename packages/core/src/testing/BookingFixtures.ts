/**
 * Bookings for the contract suites of the booking ports: an org with a requester, a booking of
 * some units from a given start, and the ids of a page. Booking items name units, which a store
 * may require to exist: the adapter's test gives `unit`, which makes one in the org.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { Booking, BookingId, type BookingItem, type BookingStatus } from "../bookings/Booking.ts"
import { AccountId, nextId, OrgId } from "../kernel/Ids.ts"

/**
 * What the suites need from the adapter's test: a unit of the org that bookings may name.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fixtures<R> {
  readonly unit: (orgId: OrgId) => Effect.Effect<BookingItem, unknown, R>
}

/**
 * An instant in UTC.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const at = (year: number, month: number, day: number, hour = 0) =>
  DateTime.makeUnsafe(Date.UTC(year, month - 1, day, hour))

/**
 * A new org and a requester in it.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const org = Effect.gen(function* () {
  const orgId = yield* nextId(OrgId)
  return { orgId, requesterId: yield* nextId(AccountId) }
})

/**
 * A booking of `items` from `start`, PENDING and two hours long unless told otherwise (`end` wins
 * over `hours`), created on 2030-01-01 unless `createdAt` says when.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const booking = (
  orgId: OrgId,
  requesterId: AccountId,
  items: ReadonlyArray<BookingItem>,
  fields: {
    readonly status?: BookingStatus
    readonly start: DateTime.Utc
    readonly hours?: number
    readonly end?: DateTime.Utc
    readonly createdAt?: DateTime.Utc
  }
) =>
  Effect.map(
    nextId(BookingId),
    (id) =>
      new Booking({
        id,
        orgId,
        requesterId,
        status: fields.status ?? "PENDING",
        startAt: fields.start,
        endAt: fields.end ?? DateTime.add(fields.start, { hours: fields.hours ?? 2 }),
        purpose: "Contract",
        items,
        version: 1,
        createdAt: fields.createdAt ?? at(2030, 1, 1),
        approvedBy: null,
        approvedAt: null,
        cancelledAt: null,
        checkedOutAt: null,
        returnedAt: null,
        lateMinutes: 0
      })
  )

/**
 * The ids of a page's items, in order.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const ids = (page: { readonly items: ReadonlyArray<{ readonly id: string }> }) =>
  page.items.map((row) => row.id)
