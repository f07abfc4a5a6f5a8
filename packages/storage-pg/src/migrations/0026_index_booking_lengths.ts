import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * The longest booking of an org, read from the end of one index range: a window `from` (bookings
 * that end after it) becomes a bound on `start_at` too (they start after `from` minus the longest
 * booking), so a calendar's page starts at the window instead of reading the org's history.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX bookings_org_length ON bookings (org_id, (end_at - start_at))`
})

/**
 * Reverses the migration. An index only.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DROP INDEX bookings_org_length`
})
