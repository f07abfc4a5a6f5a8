/**
 * The SQL side of keyset pagination: the condition "after this position" and the matching
 * order, for a sort column plus `id` as the tie-breaker. Indexes that lead with `org_id` and
 * end with the sort column and `id` serve both.
 *
 * @since 0.1.0
 */
import type { Errors } from "@rota/core"
import { Ids, Pagination } from "@rota/core"
import { Effect } from "effect"
import type { SqlClient, SqlError, Statement } from "effect/sql"

/**
 * A sortable column and how its cursor value maps to SQL.
 *
 * @since 0.1.0
 * @category models
 */
export interface Column {
  readonly name: string
  /**
   * Timestamps travel in cursors as epoch microseconds, as the database holds them: a row
   * written outside Rota may have microseconds, and a millisecond key could not place it. A
   * `uuid` column (a list in id order, UUIDv7 so oldest first) takes only uuids as keys.
   */
  readonly kind: "text" | "number" | "timestamp" | "uuid"
}

// Epoch microseconds are above this; epoch milliseconds (cursors issued before keys were
// microseconds) stay below it until the year 5138.
const microsecondKeys = 1e14

// A timestamp key as an exact integer: a number, or the digits of one past 2^53 (after the
// year 2255 epoch microseconds are no longer exact as numbers, so cursors carry them as text).
const timestampKey = (key: string | number): bigint | undefined =>
  typeof key === "number"
    ? Number.isInteger(key)
      ? BigInt(key)
      : undefined
    : /^\d{1,18}$/.test(key)
      ? BigInt(key)
      : undefined

/**
 * A timestamp as epoch microseconds (an integer), for a cursor key.
 *
 * @since 0.1.0
 * @category cursors
 */
export const microsOf = (sql: SqlClient.SqlClient, timestamp: Statement.Fragment): Statement.Fragment =>
  sql`(extract(epoch FROM ${timestamp}) * 1000000)::bigint`

const value = (
  sql: SqlClient.SqlClient,
  column: Column,
  key: string | number
): Statement.Fragment | unknown => {
  if (column.kind === "text" || column.kind === "uuid") return String(key)
  if (column.kind === "number") return Number(key)
  const micros = timestampKey(key) ?? 0n
  if (micros < BigInt(microsecondKeys)) return new Date(Number(micros))
  // Whole seconds and the microseconds left, each exact: an interval multiplied by one bigint
  // goes through a double, which past 2^53 microseconds (the year 2255) is no longer exact.
  return sql`('1970-01-01 00:00:00+00'::timestamptz + ${String(micros / 1_000_000n)}::bigint * interval '1 second'
    + ${String(micros % 1_000_000n)}::bigint * interval '1 microsecond')`
}

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
    ? sql`(${sql(column.name)}, id) > (${value(sql, column, position[0])}, ${position[1]})`
    : sql`(${sql(column.name)}, id) < (${value(sql, column, position[0])}, ${position[1]})`

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
 * The cursor value of a row's sort column. A `Date` gives microseconds from its milliseconds:
 * exact for times Rota wrote; {@link page} reads timestamp keys with {@link microsOf} instead,
 * which is exact for any row.
 *
 * @since 0.1.0
 * @category cursors
 */
export const keyOf = (raw: unknown): string | number =>
  raw instanceof Date ? raw.getTime() * 1000 : typeof raw === "number" ? raw : String(raw)

/**
 * The column name under which a timestamp key is read (`${microsOf(...)} AS keyset_position`);
 * {@link page} removes it from the rows it returns.
 *
 * @since 0.1.0
 * @category cursors
 */
export const positionKey = "keyset_position"

// A microsecond position as the database answered it (a number, a bigint or digits): a number
// while that is exact, else its digits, so a cursor past the year 2255 (an undated row sorted as
// due at the end of 9999) still names the row exactly and still decodes.
const exactKey = (raw: unknown): string | number => {
  const number = Number(raw)
  return Number.isSafeInteger(number) ? number : String(raw)
}

/**
 * A page of entities decoded from rows read with a {@link positionKey} column: the next cursor
 * is the last entity's position and id.
 *
 * @since 0.1.0
 * @category cursors
 */
export const positioned = <A>(
  rows: ReadonlyArray<Readonly<Record<string, unknown>>>,
  entities: ReadonlyArray<A>,
  limit: number,
  idOf: (entity: A) => string
): Pagination.Page<A> => {
  const page = Pagination.fromRows(
    entities.map((entity, index) => ({ entity, position: exactKey(rows[index]?.[positionKey]) })),
    limit,
    ({ entity, position }) => [position, idOf(entity)]
  )
  return { ...page, items: page.items.map(({ entity }) => entity) }
}

// The keys each kind of column can hold: PostgreSQL integers, uuids (any other text would fail in
// SQL as a malformed uuid), and timestamps Rota can place
// (milliseconds of legacy cursors from 1970, microseconds up to the end of year 9999, where
// undated rows sort). A key outside them would reach SQL as an out-of-range value.
const fits = (column: Column, key: string | number): boolean => {
  if (column.kind === "text") return typeof key === "string"
  if (column.kind === "uuid") return typeof key === "string" && Ids.isUuid(key)
  if (column.kind === "number")
    return typeof key === "number" && key >= -2_147_483_648 && key <= 2_147_483_647
  const micros = timestampKey(key)
  return micros !== undefined && micros >= 0n && micros < 253_402_300_800_000_000n
}

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
    fits(column, position[0]) ? Effect.succeed(position) : Effect.fail(Pagination.invalidCursor())
  )

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
  const values = options.split?.values ?? []
  if (options.split === undefined || values.length === 0)
    return sql<Row>`SELECT *${positionColumn} FROM ${options.source} AS record WHERE ${sql.and(where)}
      ${order} ${limitOf(sql, options.limit + 1)}`
  const column = options.split.column
  if (values.length === 1)
    return sql<Row>`SELECT *${positionColumn} FROM ${options.source} AS record
      WHERE ${sql.and([...where, sql`${sql(column)} = ${values[0]}`])} ${order} ${limitOf(sql, options.limit + 1)}`
  const branches = values.map(
    (value) => sql`(SELECT *${positionColumn} FROM ${options.source} AS record
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
