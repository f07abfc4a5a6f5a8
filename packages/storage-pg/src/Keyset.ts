/**
 * The SQL side of keyset pagination: the condition "after this position" and the matching
 * order, for a sort column plus `id` as the tie-breaker, and the statement of a page. Indexes
 * that lead with `org_id` and end with the sort column and `id` serve both. Positions (a cursor's
 * key, read, decoded and compared) are `KeysetPositions`', re-exported here.
 *
 * @since 0.1.0
 */
import { type Errors, Pagination } from "@rota/core"
import { Effect } from "effect"
import type { SqlClient, SqlError, Statement } from "effect/sql"
import {
  after,
  type Column,
  keyOf,
  microsOf,
  positioned,
  positionKey,
  positionOf
} from "./KeysetPositions.ts"

export * from "./KeysetPositions.ts"

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
 * What {@link page} reads: rows of `source` (a table name or a subquery) that meet `conditions`
 * (`undefined` ones are skipped), in `column` order.
 *
 * @since 0.1.0
 * @category models
 */
export interface PageOptions {
  readonly source: Statement.Fragment
  readonly conditions: ReadonlyArray<Statement.Fragment | undefined>
  readonly column: Column
  readonly direction: "asc" | "desc"
  readonly limit: number
  readonly cursor: string | undefined
  /**
   * The source holds some rows more than once, each copy with the same sort key and `id` (a
   * booking once per item it has of a resource). In page order the copies are adjacent, so
   * `DISTINCT ON (column, id)` keeps one as the ordered read passes them: a `Unique` over the
   * index range, still stopped by the limit. (A `DISTINCT` inside the source would be planned
   * apart from the page's order and direction.)
   */
  readonly distinct?: boolean | undefined
  /**
   * A filter on several values of a column an index leads with (`status IN (a, b)` over
   * `(org_id, status, start_at, id)`). An index range per value is in page order, but the
   * ranges together are not: PostgreSQL would read every matching row of the org and sort them
   * for one page. With `split`, each value's range is read in order and limited to the page,
   * and only those rows are merged: at most `values x (limit + 1)` rows, whatever the org's size.
   */
  readonly split?:
    | { readonly column: string; readonly values: ReadonlyArray<unknown> | undefined }
    | undefined
}

/**
 * `LIMIT n` with `n` written into the statement, not bound: PostgreSQL plans a prepared statement
 * afresh at every execution while its generic plan (made without the parameters' values) looks
 * costlier than the plans made for the values, and a generic plan that does not know the page's
 * size reckons on reading a share of the org. With the limit written in, a listing's generic
 * plan is the index range it reads, and it is reused from the sixth execution on: 0.3-0.7 ms of
 * planning per request saved on the database (measured with `EXPLAIN ANALYZE EXECUTE`). One
 * prepared statement per page size; a page size is an integer from 1 to 100 (checked here, as it
 * is written into the text).
 *
 * @since 0.1.0
 * @category sql
 */
export const limitOf = (sql: SqlClient.SqlClient, rows: number): Statement.Fragment => {
  if (!Number.isSafeInteger(rows) || rows < 0) throw new RangeError(`Not a row count: ${rows}`)
  return sql`LIMIT ${sql.literal(String(rows))}`
}

/**
 * The statement {@link page} sends for a decoded cursor `position`; plan tests EXPLAIN it.
 *
 * @since 0.1.0
 * @category sql
 */
export const pageStatement = <Row extends object>(
  sql: SqlClient.SqlClient,
  options: PageOptions,
  position: Pagination.Position | undefined
): Statement.Statement<Row> => {
  const where = options.conditions.filter((condition) => condition !== undefined)
  if (position !== undefined) where.push(after(sql, options.column, options.direction, position))
  const positionColumn =
    options.column.kind === "timestamp"
      ? sql`, ${microsOf(sql, sql`${sql(options.column.name)}`)} AS ${sql(positionKey)}`
      : sql``
  const order = orderBy(sql, options.column, options.direction)
  const select =
    options.distinct === true ? sql`SELECT DISTINCT ON (${sql(options.column.name)}, id) *` : sql`SELECT *`
  const values = options.split?.values ?? []
  if (options.split === undefined || values.length === 0)
    return sql<Row>`${select}${positionColumn} FROM ${options.source} AS record WHERE ${sql.and(where)}
      ${order} ${limitOf(sql, options.limit + 1)}`
  const column = options.split.column
  if (values.length === 1)
    return sql<Row>`${select}${positionColumn} FROM ${options.source} AS record
      WHERE ${sql.and([...where, sql`${sql(column)} = ${values[0]}`])} ${order} ${limitOf(sql, options.limit + 1)}`
  const branches = values.map(
    (value) => sql`(${select}${positionColumn} FROM ${options.source} AS record
      WHERE ${sql.and([...where, sql`${sql(column)} = ${value}`])} ${order} ${limitOf(sql, options.limit + 1)})`
  )
  return sql<Row>`SELECT * FROM (${sql.join(" UNION ALL ", false)(branches)}) AS merged
    ${order} ${limitOf(sql, options.limit + 1)}`
}

/**
 * One page of rows as {@link PageOptions} describes them, after `cursor`: the rows as read,
 * with the next cursor.
 *
 * @since 0.1.0
 * @category sql
 */
export const page = <Row extends Readonly<Record<string, unknown>>>(
  sql: SqlClient.SqlClient,
  options: PageOptions
): Effect.Effect<Pagination.Page<Row>, Errors.ValidationFailed, never> =>
  Effect.gen(function* () {
    const position =
      options.cursor === undefined ? undefined : yield* positionOf(options.column, options.cursor)
    const rows = yield* pageStatement<Row>(sql, options, position).pipe(
      Effect.catchTag("SqlError", (error: SqlError.SqlError) => Effect.die(error))
    )
    if (options.column.kind !== "timestamp")
      return Pagination.fromRows(rows, options.limit, (row) => [
        keyOf(row[options.column.name]),
        String(row.id)
      ])
    // Copied key by key rather than spread and `delete`d: a deleted key turns the object into a
    // slow dictionary, and every field of every row is read from it again as it becomes an
    // entity (60 us a 21-row page, measured).
    const withoutPosition = (row: Row): Row => {
      const copy: Record<string, unknown> = {}
      for (const key in row) if (key !== positionKey) copy[key] = row[key]
      return copy as Row
    }
    return positioned(rows, rows.map(withoutPosition), options.limit, (row) => String(row.id))
  })

/**
 * `column IN (values)`, or `undefined` (no condition) for an absent or empty list: enum filters
 * such as `status=PENDING,APPROVED`.
 *
 * @since 0.1.0
 * @category sql
 */
export const inList = <T>(
  sql: SqlClient.SqlClient,
  column: string,
  values: ReadonlyArray<T> | undefined
): Statement.Fragment | undefined =>
  values === undefined || values.length === 0 ? undefined : sql`${sql(column)} IN ${sql.in(values)}`
