import { Effect } from "effect"
import { SqlClient } from "effect/sql"

// Every foreign key to a booking: its items, its fines, the series occurrences it was made for.
const references = [
  ["booking_items", "booking_items_org_id_booking_id_fkey"],
  ["fines", "fines_org_id_booking_id_fkey"],
  ["booking_series_occurrences", "booking_series_occurrences_org_id_booking_id_fkey"]
] as const

/**
 * The rows that name a booking are checked against it at commit instead of at once. A new
 * booking is one of the writes a transaction holds and sends just before its `COMMIT` (with its
 * audit event and outbox message, see `PendingWrites`), so a row written after it in the same
 * transaction (a series occurrence naming it) reaches the database first.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  for (const [table, constraint] of references)
    yield* sql`ALTER TABLE ${sql(table)} ALTER CONSTRAINT ${sql(constraint)} DEFERRABLE INITIALLY DEFERRED`
})

/**
 * Checked at once again.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  for (const [table, constraint] of references)
    yield* sql`ALTER TABLE ${sql(table)} ALTER CONSTRAINT ${sql(constraint)} NOT DEFERRABLE`
})
