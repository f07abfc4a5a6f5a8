import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Blackouts: closures of a unit, a resource's units or a site's units. Each holds its units'
 * time on the ledger (source `blackout`), so the exclusion constraint keeps bookings and every
 * other claim off it. `unit_ids` keeps the units it closed when it was created, to free exactly
 * those when it is deleted.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE allocations DROP CONSTRAINT allocations_source_type_check`
  yield* sql`ALTER TABLE allocations ADD CONSTRAINT allocations_source_type_check
    CHECK (source_type IN ('booking', 'waitlist_offer', 'assignment', 'intervention', 'leave', 'blackout'))`
  yield* sql`
    CREATE TABLE blackouts (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      scope text NOT NULL CHECK (scope IN ('unit', 'resource', 'site')),
      scope_id uuid NOT NULL,
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL CHECK (end_at > start_at),
      reason text NOT NULL,
      unit_ids jsonb NOT NULL DEFAULT '[]',
      created_by uuid NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id)
    )`
  yield* sql`CREATE INDEX blackouts_org_start ON blackouts (org_id, start_at, id)`
  yield* sql`CREATE INDEX blackouts_org_created ON blackouts (org_id, created_at, id)`
  yield* sql`CREATE INDEX blackouts_org_scope ON blackouts (org_id, scope_id)`
})

/**
 * Drops the blackouts and frees the time they held.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DELETE FROM allocations WHERE source_type = 'blackout'`
  yield* sql`DROP TABLE blackouts`
  yield* sql`ALTER TABLE allocations DROP CONSTRAINT allocations_source_type_check`
  yield* sql`ALTER TABLE allocations ADD CONSTRAINT allocations_source_type_check
    CHECK (source_type IN ('booking', 'waitlist_offer', 'assignment', 'intervention', 'leave'))`
})
