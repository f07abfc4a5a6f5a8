/**
 * The rules of bookings as pure functions: what a request may ask for, who sees and changes a
 * booking, when it is approved at once, what a late return costs and what a resource's time
 * looks like. The `Bookings` use case applies them; tests run them without any port.
 *
 * @since 0.1.0
 */
import { DateTime } from "effect"
import type { Settings } from "../identity/Organization.ts"
import { ValidationFailed } from "../kernel/Errors.ts"
import * as Permissions from "../kernel/Permissions.ts"
import type { Actor } from "../kernel/RequestContext.ts"
import type * as Interval from "../ledger/Interval.ts"
import type { Allocation, Claim, Source } from "../ledger/Ledger.ts"
import { Booking, type BookingId, type BookingItem, type RequestedItem } from "./Booking.ts"
import { Fine, type FineId } from "./Fine.ts"
import * as Lateness from "./Lateness.ts"

/**
 * A booking request.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewBooking {
  readonly startAt: DateTime.Utc
  readonly endAt: DateTime.Utc
  readonly purpose: string
  readonly items: ReadonlyArray<RequestedItem>
}

/**
 * What a PATCH may change while the booking is PENDING or APPROVED.
 *
 * @since 0.1.0
 * @category models
 */
export interface BookingEdit {
  readonly startAt?: DateTime.Utc | undefined
  readonly endAt?: DateTime.Utc | undefined
  readonly purpose?: string | undefined
  readonly items?: ReadonlyArray<RequestedItem> | undefined
}

/**
 * The ledger source of a booking's time.
 *
 * @since 0.1.0
 * @category ledger
 */
export const sourceOf = (id: string): Source => ({ type: "booking", id })

/**
 * The ledger claims of a booking's items over its interval.
 *
 * @since 0.1.0
 * @category ledger
 */
export const claimsFor = (
  id: string,
  items: ReadonlyArray<BookingItem>,
  interval: Interval.Interval
): Array<Claim> =>
  items.map((item) => ({ subject: { type: "unit", id: item.unitId }, interval, source: sourceOf(id) }))

/**
 * A refusal of one body field.
 *
 * @since 0.1.0
 * @category errors
 */
export const invalid = (field: string, message: string): ValidationFailed =>
  new ValidationFailed({ errors: [{ path: ["body", field], message }] })

/**
 * Why a new or moved booking's interval is refused, if it is: it must end after it starts and
 * start after `at`.
 *
 * @since 0.1.0
 * @category rules
 */
export const intervalProblem = (
  interval: Interval.Interval,
  at: DateTime.Utc
): ValidationFailed | undefined =>
  DateTime.toEpochMillis(interval.endAt) <= DateTime.toEpochMillis(interval.startAt)
    ? invalid("endAt", "must be after startAt")
    : DateTime.toEpochMillis(interval.startAt) <= DateTime.toEpochMillis(at)
      ? invalid("startAt", "must be in the future")
      : undefined

/**
 * Why an availability window is refused, if it is: it must end after it starts.
 *
 * @since 0.1.0
 * @category rules
 */
export const windowProblem = (window: Interval.Interval): ValidationFailed | undefined =>
  DateTime.toEpochMillis(window.endAt) <= DateTime.toEpochMillis(window.startAt)
    ? new ValidationFailed({ errors: [{ path: ["query", "to"], message: "must be after from" }] })
    : undefined

/**
 * Whether a booking of `role` is APPROVED at once: approvers' own always, members' and
 * technicians' when the org's policy says so.
 *
 * @since 0.1.0
 * @category rules
 */
export const autoApproves = (settings: Settings, role: Actor["role"]): boolean =>
  Permissions.allows(role, "booking.approve") ||
  (role === "member" ? settings.autoApprove.member : role === "technician" && settings.autoApprove.technician)

/**
 * Whether the actor may see the booking: their own, or any with `booking.read_all`.
 *
 * @since 0.1.0
 * @category rules
 */
export const canSee = (booking: Booking, actor: Actor): boolean =>
  booking.requesterId === actor.accountId || Permissions.allows(actor, "booking.read_all")

/**
 * Who may change a booking: anyone with a permission (checked before the booking is even
 * looked up), or its requester and anyone with a permission (checked after, since only the
 * booking says who requested it; someone else's booking is 404 to a member).
 *
 * @since 0.1.0
 * @category rules
 */
export type Rights =
  | { readonly kind: "permission"; readonly permission: Permissions.Permission }
  | { readonly kind: "ownOr"; readonly permission: Permissions.Permission }

/**
 * @since 0.1.0
 * @category rules
 */
export const needs = (permission: Permissions.Permission): Rights => ({ kind: "permission", permission })

/**
 * @since 0.1.0
 * @category rules
 */
export const ownOr = (permission: Permissions.Permission): Rights => ({ kind: "ownOr", permission })

/**
 * Whether a request names a unit twice.
 *
 * @since 0.1.0
 * @category rules
 */
export const namesUnitTwice = (items: ReadonlyArray<BookingItem>): boolean =>
  new Set(items.map((item) => item.unitId)).size !== items.length

/**
 * The items in the order they are stored: by unit id.
 *
 * @since 0.1.0
 * @category rules
 */
export const sortedItems = (items: ReadonlyArray<BookingItem>): Array<BookingItem> =>
  [...items].sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0))

/**
 * The units among `candidates` that no allocation holds.
 *
 * @since 0.1.0
 * @category rules
 */
export const freeOf = <U extends { readonly id: string }>(
  candidates: ReadonlyArray<U>,
  busy: ReadonlyArray<Allocation>
): Array<U> => candidates.filter((unit) => !busy.some((allocation) => allocation.subject.id === unit.id))

/**
 * The interval an edit asks for, and whether it moves the booking.
 *
 * @since 0.1.0
 * @category rules
 */
export const editedInterval = (
  before: Booking,
  edit: BookingEdit
): { readonly interval: Interval.Interval; readonly moved: boolean } => {
  const interval = { startAt: edit.startAt ?? before.startAt, endAt: edit.endAt ?? before.endAt }
  const moved =
    !DateTime.Equivalence(interval.startAt, before.startAt) ||
    !DateTime.Equivalence(interval.endAt, before.endAt)
  return { interval, moved }
}

/**
 * A new booking, APPROVED at once or PENDING.
 *
 * @since 0.1.0
 * @category constructors
 */
export const newBooking = (options: {
  readonly id: BookingId
  readonly actor: Actor
  readonly input: NewBooking
  readonly items: ReadonlyArray<BookingItem>
  readonly approved: boolean
  readonly at: DateTime.Utc
}): Booking => {
  const { actor, approved, at, input } = options
  return new Booking({
    id: options.id,
    orgId: actor.orgId,
    requesterId: actor.accountId,
    status: approved ? "APPROVED" : "PENDING",
    startAt: input.startAt,
    endAt: input.endAt,
    purpose: input.purpose,
    items: options.items,
    version: 1,
    createdAt: at,
    approvedBy: approved ? actor.accountId : null,
    approvedAt: approved ? at : null,
    cancelledAt: null,
    checkedOutAt: null,
    returnedAt: null,
    lateMinutes: 0
  })
}

/**
 * What a return at `at` records: when, and how many minutes late beyond the grace period.
 *
 * @since 0.1.0
 * @category rules
 */
export const returnedAt = (
  booking: Booking,
  at: DateTime.Utc,
  settings: Settings
): { readonly returnedAt: DateTime.Utc; readonly lateMinutes: number } => ({
  returnedAt: at,
  lateMinutes: Lateness.lateMinutes(booking.endAt, at, settings.lateGraceMinutes)
})

/**
 * The fine of a late return under the org's settings; none when nothing is owed.
 *
 * @since 0.1.0
 * @category rules
 */
export const lateFine = (
  returned: Booking,
  settings: Settings,
  id: FineId,
  at: DateTime.Utc
): Fine | undefined => {
  const amount = Lateness.fineAmount(returned.lateMinutes, settings.fine.perHourLate)
  if (amount === 0) return undefined
  return new Fine({
    id,
    orgId: returned.orgId,
    accountId: returned.requesterId,
    bookingId: returned.id,
    amount,
    currency: settings.fine.currency,
    paid: 0,
    reason: `Returned ${returned.lateMinutes} minutes late`,
    status: "OPEN",
    version: 1,
    createdAt: at
  })
}

/**
 * The outbox payload of a booking event.
 *
 * @since 0.1.0
 * @category events
 */
export const eventPayload = (booking: Booking) => ({
  id: booking.id,
  status: booking.status,
  requesterId: booking.requesterId,
  version: booking.version
})

/**
 * Who is told a fine was created.
 *
 * @since 0.1.0
 * @category events
 */
export const finePayload = (fine: Fine) => ({
  id: fine.id,
  accountId: fine.accountId,
  amount: fine.amount,
  currency: fine.currency
})
