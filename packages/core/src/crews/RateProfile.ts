/**
 * Rate profiles: what a member's time costs, and the cost estimate of a project from its
 * accepted assignments. Money is integer minor units plus a currency.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { AccountId, OrgId } from "../kernel/Ids.ts"
import { Amount, Currency, Money } from "../kernel/Money.ts"
import type { Interval } from "../ledger/Interval.ts"
import { minutesOf } from "./CrewTime.ts"

/**
 * A rate in minor units: never negative.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Rate = Amount.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 1_000_000_000_000 })))

/**
 * @since 0.1.0
 * @category models
 */
export class RateProfile extends Schema.Class<RateProfile>("@rota/core/RateProfile")({
  accountId: AccountId,
  orgId: OrgId,
  currency: Currency,
  /** Per hour of work; charged by the minute. */
  hourly: Schema.NullOr(Rate),
  /** Per started day of work, used when there is no hourly rate. */
  daily: Schema.NullOr(Rate)
}) {}

/**
 * The fields a manager sets on a member's profile.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RateFields = Schema.Struct({
  currency: Currency,
  hourly: Schema.optionalKey(Schema.NullOr(Rate)),
  daily: Schema.optionalKey(Schema.NullOr(Rate))
})
/** @since 0.1.0 @category models */
export type RateFields = typeof RateFields.Type

/**
 * A project's estimated cost: one total per currency (sorted by currency), the accepted
 * minutes, and how many accepted assignments had no rate to price them.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CostEstimate = Schema.Struct({
  totals: Schema.Array(Money),
  minutes: Schema.Int,
  unpriced: Schema.Int
})
/** @since 0.1.0 @category models */
export type CostEstimate = typeof CostEstimate.Type

const minutesPerDay = 24 * 60

/**
 * What `minutes` of work cost at `profile`: the hourly rate by the minute (rounded to the
 * nearest minor unit), else the daily rate per started day; `undefined` without a rate.
 *
 * @since 0.1.0
 * @category rules
 */
export const costOf = (profile: RateProfile | undefined, minutes: number): number | undefined =>
  profile?.hourly != null
    ? Math.round((profile.hourly * minutes) / 60)
    : profile?.daily != null
      ? profile.daily * Math.ceil(minutes / minutesPerDay)
      : undefined

/**
 * Sums the cost of accepted work, each piece priced by its person's profile.
 *
 * @since 0.1.0
 * @category rules
 */
export const estimate = (
  work: ReadonlyArray<{ readonly accountId: string; readonly interval: Interval }>,
  profiles: ReadonlyArray<RateProfile>
): CostEstimate => {
  const byAccount = new Map(profiles.map((profile) => [profile.accountId as string, profile]))
  const totals = new Map<string, number>()
  let minutes = 0
  let unpriced = 0
  for (const piece of work) {
    const length = minutesOf(piece.interval)
    const profile = byAccount.get(piece.accountId)
    const cost = costOf(profile, length)
    minutes += length
    if (profile === undefined || cost === undefined) unpriced++
    else totals.set(profile.currency, (totals.get(profile.currency) ?? 0) + cost)
  }
  return {
    totals: [...totals.entries()]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([currency, amount]) => ({ amount, currency })),
    minutes,
    unpriced
  }
}
