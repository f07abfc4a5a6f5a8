/**
 * The SQL side of keyset pagination: the condition "after this position" and the matching
 * order, for a sort column plus `id` as the tie-breaker. Indexes that lead with `org_id` and
 * end with the sort column and `id` serve both.
 *
 * @since 0.1.0
 */
import { Errors, Ids, Pagination } from "@rota/core"
import { Effect, Schema } from "effect"
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

const isUuid = Schema.is(Ids.Uuid)

/**
 * Reads a cursor for a listing sorted by `column`. A cursor that decodes but does not fit
 * (another sort's, or forged) is refused before it reaches SQL as a malformed value.
 *
 * @since 0.1.0
 * @category cursors
 */
export const positionOf = (
  column: Column,
  cursor: string
): Effect.Effect<Pagination.Position, Errors.ValidationFailed> =>
  Effect.flatMap(Pagination.decodeCursor(cursor), (position) =>
    isUuid(position[1]) &&
    (column.kind === "text" ? typeof position[0] === "string" : Number.isFinite(Number(position[0])))
      ? Effect.succeed(position)
      : Effect.fail(
          new Errors.ValidationFailed({ errors: [{ path: ["query", "cursor"], message: "Invalid cursor" }] })
        )
  )
