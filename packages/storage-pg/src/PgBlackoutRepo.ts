/**
 * Blackouts on PostgreSQL: a `PgRecords` store over `blackouts`; the units a blackout holds are
 * a JSON array, searched with `@>` for the unit filter.
 *
 * @since 0.1.0
 */
import { Blackout, BlackoutRepo } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import type { SqlClient } from "effect/sql"
import * as PgRecords from "./PgRecords.ts"
import * as Windows from "./Windows.ts"

const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

const decode = (row: PgRecords.Row) => {
  const fields = PgRecords.toFields(row)
  return PgRecords.construct(
    Blackout.Blackout,
    { ...fields, unitIds: json(fields.unitIds) },
    PgRecords.trusted
  )
}

const encode = (fields: Readonly<Record<string, unknown>>) => {
  const columns = PgRecords.toColumns(fields)
  if (columns.unit_ids !== undefined) columns.unit_ids = JSON.stringify(columns.unit_ids)
  return columns
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<BlackoutRepo.BlackoutRepo, never, SqlClient.SqlClient> = Layer.effect(
  BlackoutRepo.BlackoutRepo,
  Effect.map(
    PgRecords.make<Blackout.Blackout, Blackout.BlackoutFilters, Blackout.BlackoutSort>({
      table: "blackouts",
      entity: "blackout",
      decode,
      encode,
      filters: (sql, filters, orgId) => [
        filters.scope === undefined ? undefined : sql`scope = ${filters.scope}`,
        filters.scopeId === undefined ? undefined : sql`scope_id = ${filters.scopeId}`,
        filters.unitId === undefined
          ? undefined
          : sql`unit_ids @> ${JSON.stringify([filters.unitId])}::jsonb`,
        filters.from === undefined ? undefined : sql`end_at > ${DateTime.toDateUtc(filters.from)}`,
        filters.from === undefined
          ? undefined
          : Windows.startsAfter(sql, { table: "blackouts", orgId, from: DateTime.toDateUtc(filters.from) }),
        filters.to === undefined ? undefined : sql`start_at < ${DateTime.toDateUtc(filters.to)}`
      ],
      sorts: {
        startAt: { name: "start_at", kind: "timestamp" },
        createdAt: { name: "created_at", kind: "timestamp" }
      },
      defaultSort: { field: "startAt", direction: "asc" },
      unique: {}
    }),
    (records) => BlackoutRepo.BlackoutRepo.of(records)
  )
)
