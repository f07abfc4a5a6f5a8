/**
 * Maintenance plans on PostgreSQL: a `PgRecords` store over `maintenance_plans`, plus the due
 * dates' bookkeeping. Due dates are claimed in `maintenance_occurrences` with `ON CONFLICT DO
 * NOTHING`: of two transactions claiming the same (plan, due date), the second waits for the
 * first and then inserts nothing.
 *
 * @since 0.1.0
 */
import { MaintenancePlan, MaintenanceRepos } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as PgRecords from "./PgRecords.ts"

const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

const decode = (row: PgRecords.Row) => {
  const fields = PgRecords.toFields(row)
  return PgRecords.construct(
    MaintenancePlan.MaintenancePlan,
    { ...fields, recurrence: json(fields.recurrence), checklist: json(fields.checklist) },
    PgRecords.trusted
  )
}

const encode = (fields: Readonly<Record<string, unknown>>) => {
  const columns = PgRecords.toColumns(fields)
  if (columns.recurrence !== undefined) columns.recurrence = JSON.stringify(columns.recurrence)
  if (columns.checklist !== undefined) columns.checklist = JSON.stringify(columns.checklist)
  return columns
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<MaintenanceRepos.MaintenancePlanRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    MaintenanceRepos.MaintenancePlanRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      const records = yield* PgRecords.make<
        MaintenancePlan.MaintenancePlan,
        MaintenancePlan.PlanFilters,
        MaintenancePlan.PlanSort
      >({
        table: "maintenance_plans",
        entity: "maintenance_plan",
        decode,
        encode,
        filters: (sql, filters) => [
          filters.resourceId === undefined ? undefined : sql`resource_id = ${filters.resourceId}`,
          filters.unitId === undefined ? undefined : sql`unit_id = ${filters.unitId}`
        ],
        split: (filters) => ({ column: "status", values: filters.statuses }),
        sorts: {
          createdAt: { name: "created_at", kind: "timestamp" },
          title: { name: "title", kind: "text" }
        },
        defaultSort: { field: "createdAt", direction: "asc" },
        unique: {}
      })
      return MaintenanceRepos.MaintenancePlanRepo.of({
        ...records,
        lockDue: (now, limit) =>
          sql`SELECT * FROM maintenance_plans
          WHERE status = 'ACTIVE' AND deleted_at IS NULL AND next_due_at IS NOT NULL
            AND next_due_at <= ${DateTime.toDateUtc(now)}::timestamptz + interval '366 days'
            AND next_due_at - make_interval(days => lead_time_days) <= ${DateTime.toDateUtc(now)}
          ORDER BY next_due_at LIMIT ${limit}
          FOR UPDATE SKIP LOCKED`.pipe(
            Effect.map((rows) => rows.map(decode)),
            Effect.orDie
          ),
        setNextDue: (orgId, id, nextDueAt) =>
          sql`UPDATE maintenance_plans SET next_due_at = ${nextDueAt === null ? null : DateTime.toDateUtc(nextDueAt)}
          WHERE org_id = ${orgId} AND id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
        claimOccurrence: (orgId, planId, dueAt, interventionId) =>
          sql`INSERT INTO maintenance_occurrences (org_id, plan_id, due_at, intervention_id)
          VALUES (${orgId}, ${planId}, ${DateTime.toDateUtc(dueAt)}, ${interventionId})
          ON CONFLICT (org_id, plan_id, due_at) DO NOTHING RETURNING 1 AS claimed`.pipe(
            Effect.map((rows) => rows.length === 1),
            Effect.orDie
          ),
        listActive: (orgId, limit) =>
          sql`SELECT * FROM maintenance_plans
          WHERE org_id = ${orgId} AND status = 'ACTIVE' AND deleted_at IS NULL
          ORDER BY created_at, id LIMIT ${limit}`.pipe(
            Effect.map((rows) => rows.map(decode)),
            Effect.orDie
          )
      })
    })
  )
