/**
 * Late returns: a return after `endAt` plus the org's grace period is late, counted in minutes
 * from `endAt`, and fined per started hour.
 *
 * @since 0.1.0
 */
import { DateTime } from "effect"

/**
 * Minutes past `endAt`, or 0 when the return falls within the grace period.
 *
 * @since 0.1.0
 * @category rules
 */
export const lateMinutes = (endAt: DateTime.Utc, returnedAt: DateTime.Utc, graceMinutes: number): number => {
  const minutes = Math.floor((DateTime.toEpochMillis(returnedAt) - DateTime.toEpochMillis(endAt)) / 60_000)
  return minutes > graceMinutes ? minutes : 0
}

/**
 * The fine for a late return, in minor units: `perHourLate` for every started hour.
 *
 * @since 0.1.0
 * @category rules
 */
export const fineAmount = (late: number, perHourLate: number): number =>
  late <= 0 ? 0 : Math.ceil(late / 60) * perHourLate
