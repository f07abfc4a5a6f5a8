/**
 * The booking state machine as data: which action leads from which statuses to which, and the
 * statuses that hold ledger time.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { InvalidTransition } from "../kernel/Errors.ts"
import type { BookingStatus } from "./Booking.ts"

/**
 * What can happen to a booking after it is created.
 *
 * @since 0.1.0
 * @category models
 */
export type Action = "approve" | "reject" | "cancel" | "checkOut" | "markOverdue" | "return" | "edit"

/**
 * For each action: the statuses it may start from, and where it leads (`edit` keeps the status).
 *
 * @since 0.1.0
 * @category table
 */
export const transitions: Readonly<
  Record<Action, { readonly from: ReadonlyArray<BookingStatus>; readonly to: BookingStatus | "same" }>
> = {
  approve: { from: ["PENDING"], to: "APPROVED" },
  reject: { from: ["PENDING"], to: "REJECTED" },
  cancel: { from: ["PENDING", "APPROVED"], to: "CANCELLED" },
  checkOut: { from: ["APPROVED"], to: "CHECKED_OUT" },
  markOverdue: { from: ["CHECKED_OUT"], to: "OVERDUE" },
  return: { from: ["CHECKED_OUT", "OVERDUE"], to: "RETURNED" },
  edit: { from: ["PENDING", "APPROVED"], to: "same" }
}

/**
 * Statuses whose units stay claimed in the ledger.
 *
 * @since 0.1.0
 * @category table
 */
export const activeStatuses: ReadonlyArray<BookingStatus> = ["PENDING", "APPROVED", "CHECKED_OUT", "OVERDUE"]

/**
 * Statuses in which the units are out of the store.
 *
 * @since 0.1.0
 * @category table
 */
export const outStatuses: ReadonlyArray<BookingStatus> = ["CHECKED_OUT", "OVERDUE"]

/**
 * The statuses reachable from `status` by some action, for `invalid_transition` answers.
 *
 * @since 0.1.0
 * @category rules
 */
export const allowedFrom = (status: BookingStatus): ReadonlyArray<BookingStatus> => {
  const next = new Set<BookingStatus>()
  for (const rule of Object.values(transitions)) {
    if (rule.from.includes(status) && rule.to !== "same") next.add(rule.to)
  }
  return [...next]
}

/**
 * The status `action` leads to from `status`, or `InvalidTransition` naming the allowed ones.
 *
 * @since 0.1.0
 * @category rules
 */
export const apply = (
  status: BookingStatus,
  action: Action
): Effect.Effect<BookingStatus, InvalidTransition> => {
  const rule = transitions[action]
  if (rule.from.includes(status)) return Effect.succeed(rule.to === "same" ? status : rule.to)
  return Effect.fail(
    new InvalidTransition({
      entity: "booking",
      from: status,
      to: rule.to === "same" ? status : rule.to,
      allowed: allowedFrom(status)
    })
  )
}

/**
 * @since 0.1.0
 * @category rules
 */
export const isActive = (status: BookingStatus): boolean => activeStatuses.includes(status)
