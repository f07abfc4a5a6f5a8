/**
 * Positions in a keyset listing: the sort column's key as a cursor carries it, read from the
 * rows of a page, decoded (and checked) from a client's cursor, and compared in SQL ("the rows
 * after this position"). `Keyset` builds the listings' statements on them and re-exports what
 * repositories use.
 *
 * @since 0.1.0
 */
import type { Errors } from "@rota/core"
import { Ids, Pagination } from "@rota/core"
import { Effect } from "effect"
import type { SqlClient, Statement } from "effect/sql"

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
