import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * A resource's bookings in page order: the listing filtered by `resourceId` read the org's
 * bookings in page order and probed each one's items, so a page of a resource holding one
 * booking in 250 read some 6,000 bookings. The items carry their booking's start, creation and
 * status (migration 0040); a resource's items are now indexed in each page order, by status too,
 * as a unit's are. The index on `(org_id, resource_id)` alone is covered by them.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX booking_items_resource_start ON booking_items (org_id, resource_id, start_at, booking_id)`
  yield* sql`CREATE INDEX booking_items_resource_created
    ON booking_items (org_id, resource_id, created_at, booking_id)`
  yield* sql`CREATE INDEX booking_items_resource_status_start
    ON booking_items (org_id, resource_id, status, start_at, booking_id)`
  yield* sql`CREATE INDEX booking_items_resource_status_created
    ON booking_items (org_id, resource_id, status, created_at, booking_id)`
  yield* sql`DROP INDEX booking_items_resource`
})

/**
 * Reverses the migration. Indexes only: restores the index this migration replaced.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX booking_items_resource ON booking_items (org_id, resource_id)`
  yield* sql`DROP INDEX booking_items_resource_start`
  yield* sql`DROP INDEX booking_items_resource_created`
  yield* sql`DROP INDEX booking_items_resource_status_start`
  yield* sql`DROP INDEX booking_items_resource_status_created`
})
