/**
 * Money as integer minor units (cents) plus an ISO 4217 currency code, never floats.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * @since 0.1.0
 * @category schemas
 */
export const Currency = Schema.String.pipe(Schema.check(Schema.isPattern(/^[A-Z]{3}$/)))

/**
 * An amount in minor units; at most what a 64-bit float holds exactly.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Amount = Schema.Int.pipe(
  Schema.check(Schema.isBetween({ minimum: -9_007_199_254_740_991, maximum: 9_007_199_254_740_991 }))
)

/**
 * @since 0.1.0
 * @category schemas
 */
export const Money = Schema.Struct({ amount: Amount, currency: Currency })
/** @since 0.1.0 @category models */
export type Money = typeof Money.Type

/**
 * A price: money that is never negative.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Price = Schema.Struct({
  amount: Amount.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(0))),
  currency: Currency
})
