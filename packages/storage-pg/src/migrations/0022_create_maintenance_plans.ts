import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Maintenance plans and the due dates they opened. `maintenance_occurrences` is keyed on (plan,
 * due date): the server claims a due date there in the transaction that opens its intervention,
 * so two servers, or one restarted, never open the same due date twice. The intervention is
 * written after its claim in that transaction, hence the deferred reference. The partial index
 * finds due plans without reading paused or deleted ones.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE maintenance_plans (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      title text NOT NULL,
      description text,
      resource_id uuid NOT NULL,
      unit_id uuid,
      recurrence jsonb NOT NULL,
      starts_on text NOT NULL,
      at text NOT NULL,
      lead_time_days integer NOT NULL CHECK (lead_time_days BETWEEN 0 AND 366),
      checklist jsonb NOT NULL DEFAULT '[]',
      default_assignee_id uuid,
      estimated_minutes integer CHECK (estimated_minutes BETWEEN 1 AND 10080),
      priority text NOT NULL CHECK (priority IN ('LOW', 'NORMAL', 'HIGH', 'URGENT')),
      status text NOT NULL CHECK (status IN ('ACTIVE', 'PAUSED')),
      next_due_at timestamptz,
      created_by uuid NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, resource_id) REFERENCES resources (org_id, id),
      FOREIGN KEY (org_id, unit_id) REFERENCES resource_units (org_id, id)
    )`
  yield* sql`CREATE INDEX maintenance_plans_org_created ON maintenance_plans (org_id, created_at, id)`
  yield* sql`CREATE INDEX maintenance_plans_due ON maintenance_plans (next_due_at)
    WHERE status = 'ACTIVE' AND deleted_at IS NULL AND next_due_at IS NOT NULL`
  yield* sql`
    CREATE TABLE maintenance_occurrences (
      org_id uuid NOT NULL,
      plan_id uuid NOT NULL,
      due_at timestamptz NOT NULL,
      intervention_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, plan_id, due_at),
      FOREIGN KEY (org_id, plan_id) REFERENCES maintenance_plans (org_id, id),
      FOREIGN KEY (org_id, intervention_id) REFERENCES interventions (org_id, id) DEFERRABLE INITIALLY DEFERRED
    )`
  yield* sql`CREATE INDEX maintenance_occurrences_intervention ON maintenance_occurrences (org_id, intervention_id)`
})
