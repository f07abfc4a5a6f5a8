/**
 * The SQL side of keyset pagination: the condition "after this position" and the matching
 * order, for a sort column plus `id` as the tie-breaker. Indexes that lead with `org_id` and
 * end with the sort column and `id` serve both.
 *
 * @since 0.1.0
 */
import type { Pagination } from "@rota/core"
import type { SqlClient, Statement } from "effect/sql"

/**
 * A sortable column and how its cursor value maps to SQL.
 *
 * @since 0.1.0
 * @category models
 */
export interface Column {
  readonly name: string
  /** Timestamps travel in cursors as epoch milliseconds. */
  readonly kind: "text" | "number" | "timestamp"
}

const value = (column: Column, key: string | number) =>
  column.kind === "timestamp" ? new Date(Number(key)) : column.kind === "number" ? Number(key) : String(key)

/**
 * `(column, id) > (key, id)` (or `<` descending): the rows after `position`.
 *
 * @since 0.1.0
 * @category sql
 */
export const after = (
  sql: SqlClient.SqlClient,
  column: Column,
  direction: "asc" | "desc",
  position: Pagination.Position
): Statement.Fragment =>
  direction === "asc"
    ? sql`(${sql(column.name)}, id) > (${value(column, position[0])}, ${position[1]})`
    : sql`(${sql(column.name)}, id) < (${value(column, position[0])}, ${position[1]})`

/**
 * `ORDER BY column, id` in the given direction.
 *
 * @since 0.1.0
 * @category sql
 */
export const orderBy = (
  sql: SqlClient.SqlClient,
  column: Column,
  direction: "asc" | "desc"
): Statement.Fragment =>
  direction === "asc"
    ? sql`ORDER BY ${sql(column.name)} ASC, id ASC`
    : sql`ORDER BY ${sql(column.name)} DESC, id DESC`

/**
 * The cursor value of a row's sort column.
 *
 * @since 0.1.0
 * @category cursors
 */
export const keyOf = (raw: unknown): string | number =>
  raw instanceof Date ? raw.getTime() : typeof raw === "number" ? raw : String(raw)
