/**
 * Waitlist entries and the records their scores count (bookings, fines, memberships), written
 * through the ports, for the waitlist contract. Resources are stored first, as a store may
 * require (PostgreSQL does).
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { Booking, BookingId, type BookingStatus } from "../bookings/Booking.ts"
import { BookingRepo, FineRepo } from "../bookings/BookingRepos.ts"
import { Fine, FineId, type FineStatus } from "../bookings/Fine.ts"
import type { AccountRepo, MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import type { PartRepo, ResourceRepo, SiteRepo, TagRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { ResourceId } from "../inventory/Resource.ts"
import { type AccountId, type Ids, nextId, type OrgId } from "../kernel/Ids.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import { WaitlistEntry, WaitlistEntryId, type WaitlistStatus } from "../waitlist/WaitlistEntry.ts"
import { WaitlistRepo } from "../waitlist/WaitlistRepo.ts"

/**
 * The ports the suite runs on.
 *
 * @since 0.1.0
 * @category models
 */
export type Ports =
  | WaitlistRepo
  | BookingRepo
  | FineRepo
  | Transactor
  | OrgRepo
  | AccountRepo
  | MembershipRepo
  | SiteRepo
  | TagRepo
  | ResourceRepo
  | UnitRepo
  | PartRepo
  | Ids

/**
 * The instant the contract ranks at: 2032-01-10 12:00.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const now = DateTime.makeUnsafe(Date.UTC(2032, 0, 10, 12))

/**
 * `hours` after {@link now} (before it when negative), as a `DateTime`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const hoursFromNow = (hours: number): DateTime.Utc =>
  DateTime.makeUnsafe(DateTime.toEpochMillis(now) + Math.round(hours * 3_600_000))

/**
 * A stored entry of `requesterId` for the resource, created `age` hours before {@link now}.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const entry = (
  orgId: OrgId,
  resourceId: ResourceId,
  requesterId: AccountId,
  age: number,
  fields: { readonly status?: WaitlistStatus; readonly offerExpiresAt?: DateTime.Utc | null } = {}
) =>
  Effect.gen(function* () {
    const waitlist = yield* WaitlistRepo
    return yield* waitlist.insert(
      new WaitlistEntry({
        id: yield* nextId(WaitlistEntryId),
        orgId,
        requesterId,
        resourceId,
        startAt: hoursFromNow(48),
        endAt: hoursFromNow(50),
        purpose: "Contract",
        priorityScore: 0,
        status: fields.status ?? "WAITING",
        offeredUnitId: null,
        offerStartAt: null,
        offerEndAt: null,
        offerExpiresAt: fields.offerExpiresAt ?? null,
        bookingId: null,
        version: 1,
        createdAt: hoursFromNow(-age)
      })
    )
  })

/**
 * A stored booking of the requester (no items: only its status and times count for scores),
 * ending `endsIn` hours from {@link now}.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const booking = (
  orgId: OrgId,
  requesterId: AccountId,
  status: BookingStatus,
  endsIn: number,
  returned?: { readonly hoursAgo: number; readonly lateMinutes: number }
) =>
  Effect.gen(function* () {
    const bookings = yield* BookingRepo
    return yield* bookings.insert(
      new Booking({
        id: yield* nextId(BookingId),
        orgId,
        requesterId,
        status,
        startAt: hoursFromNow(endsIn - 2),
        endAt: hoursFromNow(endsIn),
        purpose: "Contract",
        items: [],
        version: 1,
        createdAt: hoursFromNow(-5000),
        approvedBy: null,
        approvedAt: null,
        cancelledAt: null,
        checkedOutAt: null,
        returnedAt: returned === undefined ? null : hoursFromNow(-returned.hoursAgo),
        lateMinutes: returned?.lateMinutes ?? 0
      })
    )
  })

/**
 * A stored fine of the account.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const fine = (orgId: OrgId, accountId: AccountId, status: FineStatus) =>
  Effect.gen(function* () {
    const fines = yield* FineRepo
    return yield* fines.insert(
      new Fine({
        id: yield* nextId(FineId),
        orgId,
        accountId,
        bookingId: null,
        amount: 500,
        currency: "EUR",
        paid: status === "PAID" ? 500 : 0,
        reason: "Late",
        status,
        version: 1,
        createdAt: hoursFromNow(-100)
      })
    )
  })
