import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * The listings `WorkListPlans.test.ts`, `InventoryListPlans.test.ts` and `ListPlans.test.ts` found reading or sorting the
 * whole org at 100k rows:
 * each gets an index in its page order, so a page is one index range read from its start.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // A status (read one range per status, merged): open work is the newest few percent.
  yield* sql`CREATE INDEX projects_org_status ON projects (org_id, status, created_at, id)`
  yield* sql`CREATE INDEX assignments_org_status ON assignments (org_id, status, created_at, id)`
  yield* sql`CREATE INDEX availability_org_status ON availability_windows (org_id, status, start_at, id)`
  yield* sql`CREATE INDEX maintenance_plans_org_status ON maintenance_plans (org_id, status, created_at, id)`
  // A member's windows and a scope's closures, in start order to the last column.
  yield* sql`DROP INDEX availability_account`
  yield* sql`CREATE INDEX availability_account ON availability_windows (org_id, account_id, start_at, id)`
  yield* sql`DROP INDEX blackouts_org_scope`
  yield* sql`CREATE INDEX blackouts_org_scope ON blackouts (org_id, scope_id, start_at, id)`
  // A resource's or a unit's plans, and plans by title.
  yield* sql`CREATE INDEX maintenance_plans_resource ON maintenance_plans (org_id, resource_id, created_at, id)`
  yield* sql`CREATE INDEX maintenance_plans_unit ON maintenance_plans (org_id, unit_id, created_at, id)`
  yield* sql`CREATE INDEX maintenance_plans_org_title ON maintenance_plans (org_id, title, id)`
  // A resource's interventions and a booking's fines (ListPlans.test.ts).
  yield* sql`CREATE INDEX interventions_org_resource ON interventions (org_id, resource_id, created_at, id)`
  yield* sql`CREATE INDEX fines_booking ON fines (org_id, booking_id, created_at, id)`
  // Inventory (InventoryListPlans.test.ts): resources by status, type or site; a resource's
  // units by status or barcode; parts by stock, and the parts at or below their reorder level.
  yield* sql`CREATE INDEX resources_org_status ON resources (org_id, status, created_at, id)`
  yield* sql`CREATE INDEX resources_org_type_created ON resources (org_id, type, created_at, id)`
  yield* sql`CREATE INDEX resources_site ON resources (org_id, site_id, created_at, id)`
  yield* sql`CREATE INDEX resource_units_resource_status ON resource_units (org_id, resource_id, status, created_at, id)`
  yield* sql`CREATE INDEX resource_units_resource_barcode ON resource_units (org_id, resource_id, barcode, id)`
  yield* sql`CREATE INDEX parts_org_quantity ON parts (org_id, quantity_on_hand, id)`
  yield* sql`CREATE INDEX parts_low_stock ON parts (org_id, name, id) WHERE quantity_on_hand <= reorder_level`
  // The org's longest mission, window and closure: a window's `from` bounds the start index by it.
  yield* sql`CREATE INDEX missions_org_length ON missions (org_id, (end_at - start_at))`
  yield* sql`CREATE INDEX availability_org_length ON availability_windows (org_id, (end_at - start_at))`
  yield* sql`CREATE INDEX blackouts_org_length ON blackouts (org_id, (end_at - start_at))`
})

/**
 * Drops the list indexes and restores the two it replaced.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  for (const index of [
    "projects_org_status",
    "assignments_org_status",
    "availability_org_status",
    "maintenance_plans_org_status",
    "availability_account",
    "blackouts_org_scope",
    "maintenance_plans_resource",
    "maintenance_plans_unit",
    "maintenance_plans_org_title",
    "interventions_org_resource",
    "fines_booking",
    "resources_org_status",
    "resources_org_type_created",
    "resources_site",
    "resource_units_resource_status",
    "resource_units_resource_barcode",
    "parts_org_quantity",
    "parts_low_stock",
    "missions_org_length",
    "availability_org_length",
    "blackouts_org_length"
  ])
    yield* sql`DROP INDEX ${sql(index)}`
  yield* sql`CREATE INDEX availability_account ON availability_windows (org_id, account_id, start_at)`
  yield* sql`CREATE INDEX blackouts_org_scope ON blackouts (org_id, scope_id)`
})
