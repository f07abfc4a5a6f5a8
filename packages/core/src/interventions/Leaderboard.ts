/**
 * The technicians' leaderboard: who completed the most interventions in a period. Each assignee
 * of a completed intervention gets the credit; one completed with nobody assigned credits the
 * technician who completed it. Ties share a rank (1, 1, 3).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { AccountId } from "../kernel/Ids.ts"

/**
 * @since 0.1.0
 * @category models
 */
export const LeaderboardEntry = Schema.Struct({
  rank: Schema.Int,
  accountId: AccountId,
  username: Schema.String,
  fullName: Schema.String,
  completed: Schema.Int
})
/** @since 0.1.0 @category models */
export type LeaderboardEntry = typeof LeaderboardEntry.Type

/**
 * @since 0.1.0
 * @category models
 */
export const Leaderboard = Schema.Struct({
  from: Schema.DateTimeUtc,
  to: Schema.DateTimeUtc,
  items: Schema.Array(LeaderboardEntry)
})
/** @since 0.1.0 @category models */
export type Leaderboard = typeof Leaderboard.Type
