import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Every booking listing reads one index range in page order (sort column, then `id`, as keyset
 * pages compare them), so a page costs its own rows whatever the org's size: a status set sorted
 * by creation, and a requester's bookings (what a member's listing is) by start or creation.
 * The requester index without `id` could not give the tie-break order.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX bookings_org_status_created ON bookings (org_id, status, created_at, id)`
  yield* sql`CREATE INDEX bookings_requester_start ON bookings (org_id, requester_id, start_at, id)`
  yield* sql`CREATE INDEX bookings_requester_created ON bookings (org_id, requester_id, created_at, id)`
  yield* sql`DROP INDEX bookings_requester`
})

/**
 * Reverses the migration. Indexes only: restores the index this migration replaced.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX bookings_requester ON bookings (org_id, requester_id, start_at)`
  yield* sql`DROP INDEX bookings_org_status_created`
  yield* sql`DROP INDEX bookings_requester_start`
  yield* sql`DROP INDEX bookings_requester_created`
})
