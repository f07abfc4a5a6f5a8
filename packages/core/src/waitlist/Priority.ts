/**
 * The waitlist priority score: who gets a freed unit first. Integers, higher is better:
 *
 * ```
 * score = roleWeight(role) + min(hoursWaiting, maxWaitingHours)
 *       - lateReturn * lateReturns(last 90 days, plus bookings OVERDUE now)
 *       - openFine * openFines
 *       - activeBooking * activeBookings(active status, endAt in the future)
 * ties: older entry first, then smaller id
 * ```
 *
 * The store computes the same ranking in SQL; a property test holds the two equal.
 *
 * @since 0.1.0
 */
import type { Settings } from "../identity/Organization.ts"
import type { Role } from "../kernel/Role.ts"
import type { ScoreParts } from "./WaitlistEntry.ts"

/**
 * What the score of one entry depends on. `role` is null when the requester is no longer a
 * member (no role points).
 *
 * @since 0.1.0
 * @category models
 */
export interface Standing {
  readonly id: string
  readonly role: Role | null
  readonly createdAtMillis: number
  readonly lateReturns: number
  readonly openFines: number
  readonly activeBookings: number
}

/**
 * @since 0.1.0
 * @category models
 */
export type Weights = Settings["priorityWeights"]

/**
 * Late returns count over this many days.
 *
 * @since 0.1.0
 * @category constants
 */
export const lateReturnWindowDays = 90

/**
 * The signed parts of the score (penalties negative).
 *
 * @since 0.1.0
 * @category rules
 */
export const parts = (standing: Standing, weights: Weights, nowMillis: number): ScoreParts => ({
  role: standing.role === null ? 0 : weights[standing.role],
  waiting: Math.min(
    Math.max(0, Math.floor((nowMillis - standing.createdAtMillis) / 3_600_000)),
    weights.maxWaitingHours
  ),
  // `0 - x`, not `-x`: a penalty of nothing is 0, never -0.
  lateReturns: 0 - weights.lateReturn * standing.lateReturns,
  openFines: 0 - weights.openFine * standing.openFines,
  activeBookings: 0 - weights.activeBooking * standing.activeBookings
})

/**
 * @since 0.1.0
 * @category rules
 */
export const total = (score: ScoreParts): number =>
  score.role + score.waiting + score.lateReturns + score.openFines + score.activeBookings

/**
 * @since 0.1.0
 * @category rules
 */
export const score = (standing: Standing, weights: Weights, nowMillis: number): number =>
  total(parts(standing, weights, nowMillis))

/**
 * The standings in rank order: higher score first, then older, then smaller id.
 *
 * @since 0.1.0
 * @category rules
 */
export const rank = <S extends Standing>(
  standings: ReadonlyArray<S>,
  weights: Weights,
  nowMillis: number
): Array<{ readonly standing: S; readonly score: number; readonly parts: ScoreParts }> =>
  standings
    .map((standing) => {
      const scoreParts = parts(standing, weights, nowMillis)
      return { standing, score: total(scoreParts), parts: scoreParts }
    })
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.standing.createdAtMillis - b.standing.createdAtMillis ||
        (a.standing.id < b.standing.id ? -1 : a.standing.id > b.standing.id ? 1 : 0)
    )
