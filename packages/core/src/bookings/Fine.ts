/**
 * Fines: money a member owes the org, for a late return or set by a manager; paid in one or more
 * payments, or waived.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { InvalidTransition, ValidationFailed } from "../kernel/Errors.ts"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { Currency } from "../kernel/Money.ts"
import { BookingId } from "./Booking.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const FineId = Uuid.pipe(Schema.brand("FineId"))
/** @since 0.1.0 @category ids */
export type FineId = typeof FineId.Type

/**
 * @since 0.1.0
 * @category ids
 */
export const PaymentId = Uuid.pipe(Schema.brand("PaymentId"))
/** @since 0.1.0 @category ids */
export type PaymentId = typeof PaymentId.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const FineStatus = Schema.Literals(["OPEN", "PAID", "WAIVED"])
/** @since 0.1.0 @category models */
export type FineStatus = typeof FineStatus.Type

/**
 * A positive amount in minor units, up to 10 million units of the currency.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PositiveAmount = Schema.Int.pipe(
  Schema.check(Schema.isBetween({ minimum: 1, maximum: 1_000_000_000 }))
)

/**
 * @since 0.1.0
 * @category schemas
 */
export const Reason = Schema.String.pipe(
  Schema.check(Schema.isBetweenLength(1, 500), Schema.isPattern(/\S/, { message: "must not be blank" }))
)

/**
 * @since 0.1.0
 * @category models
 */
export class Fine extends Schema.Class<Fine>("@rota/core/Fine")({
  id: FineId,
  orgId: OrgId,
  accountId: AccountId,
  bookingId: Schema.NullOr(BookingId),
  amount: PositiveAmount,
  currency: Currency,
  /** The sum of the payments so far. */
  paid: Schema.Int,
  reason: Reason,
  status: FineStatus,
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc
}) {}

/**
 * @since 0.1.0
 * @category models
 */
export class Payment extends Schema.Class<Payment>("@rota/core/Payment")({
  id: PaymentId,
  orgId: OrgId,
  fineId: FineId,
  amount: PositiveAmount,
  paidBy: AccountId,
  at: Schema.DateTimeUtc
}) {}

/**
 * Listing filters.
 *
 * @since 0.1.0
 * @category models
 */
export interface FineFilters {
  readonly statuses?: ReadonlyArray<FineStatus> | undefined
  readonly accountId?: AccountId | undefined
  readonly bookingId?: BookingId | undefined
}

const notOpen = (fine: Fine, to: FineStatus) =>
  new InvalidTransition({
    entity: "fine",
    from: fine.status,
    to,
    allowed: fine.status === "OPEN" ? ["PAID", "WAIVED"] : []
  })

/**
 * The fine after a payment of `amount`: PAID once the payments reach the amount. Paying more
 * than is owed, or paying a fine that is not open, is refused.
 *
 * @since 0.1.0
 * @category rules
 */
export const pay = (
  fine: Fine,
  amount: number
): Effect.Effect<
  { readonly paid: number; readonly status: FineStatus },
  InvalidTransition | ValidationFailed
> => {
  if (fine.status !== "OPEN") return Effect.fail(notOpen(fine, "PAID"))
  const owed = fine.amount - fine.paid
  if (amount > owed)
    return Effect.fail(
      new ValidationFailed({
        errors: [{ path: ["body", "amount"], message: `Overpayment: ${owed} is owed` }]
      })
    )
  const paid = fine.paid + amount
  return Effect.succeed({ paid, status: paid === fine.amount ? "PAID" : "OPEN" })
}

/**
 * Waiving closes an open fine without payment.
 *
 * @since 0.1.0
 * @category rules
 */
export const waive = (fine: Fine): Effect.Effect<FineStatus, InvalidTransition> =>
  fine.status === "OPEN" ? Effect.succeed("WAIVED") : Effect.fail(notOpen(fine, "WAIVED"))
