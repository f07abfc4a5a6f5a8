import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * The listings `ListPlans.test.ts` found reading or sorting the whole org at 100k rows: each
 * gets an index in its page order, so a page is one index range (a status, a role, an actor)
 * read from its start.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  // Interventions by status, newest first (completed ones are most of an org's history).
  yield* sql`CREATE INDEX interventions_org_status ON interventions (org_id, status, created_at, id)`
  // The sort keys the listing computes: the due date (none last) and the priority's rank.
  yield* sql`CREATE INDEX interventions_org_due ON interventions
    (org_id, (COALESCE(due_at, '9999-12-31T00:00:00Z'::timestamptz)), id)`
  yield* sql`CREATE INDEX interventions_org_priority ON interventions
    (org_id, (CASE priority WHEN 'LOW' THEN 1 WHEN 'NORMAL' THEN 2 WHEN 'HIGH' THEN 3 ELSE 4 END), id)`
  yield* sql`CREATE INDEX fines_org_status ON fines (org_id, status, created_at, id)`
  yield* sql`CREATE INDEX audit_events_org_actor ON audit_events (org_id, actor_id, at DESC, id DESC)`
  yield* sql`CREATE INDEX memberships_org_role ON memberships (org_id, role, created_at, account_id)`
})

/**
 * Drops the list indexes.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DROP INDEX interventions_org_status`
  yield* sql`DROP INDEX interventions_org_due`
  yield* sql`DROP INDEX interventions_org_priority`
  yield* sql`DROP INDEX fines_org_status`
  yield* sql`DROP INDEX audit_events_org_actor`
  yield* sql`DROP INDEX memberships_org_role`
})
