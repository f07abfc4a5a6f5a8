/**
 * Keyset (cursor) pagination: a page is the `limit` rows after a position in a stable order
 * (the sort key, then the id to break ties), so pages never skip or repeat rows while data
 * changes, and page 1,000 costs what page 1 costs.
 *
 * @since 0.1.0
 */
import { Effect, Result, Schema } from "effect"
import * as Base64Url from "effect/encoding/Base64Url"
import { ValidationFailed } from "./Errors.ts"
import { Uuid } from "./Ids.ts"

/**
 * @since 0.1.0
 * @category schemas
 */
export const Limit = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 100 })))

/**
 * @since 0.1.0
 * @category constants
 */
export const defaultLimit = 20

/**
 * @since 0.1.0
 * @category models
 */
export interface PageRequest {
  readonly limit: number
  readonly cursor?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Page<A> {
  readonly items: ReadonlyArray<A>
  /** Pass it back as `cursor` for the next page; `null` on the last page. */
  readonly nextCursor: string | null
}

/**
 * The wire schema of a page of `item`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Page = <S extends Schema.Top>(item: S) =>
  Schema.Struct({ items: Schema.Array(item), nextCursor: Schema.NullOr(Schema.String) })

/**
 * A position in a listing order: the sort key's value (string or integer) and the row id.
 *
 * @since 0.1.0
 * @category models
 */
export type Position = readonly [key: string | number, id: string]

/**
 * The longest cursor accepted: the cursors Rota issues are far shorter.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxCursorLength = 512

// A key is what a row's sort column held: text that the database can compare (no NUL, which
// PostgreSQL text cannot hold, no lone surrogate), or an integer (a count, a rank, a timestamp in
// epoch microseconds). Anything else never came from Rota.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point.
const unstorable = /[\u0000\p{Cs}]/u
const Key = Schema.Union([
  Schema.String.pipe(
    Schema.check(
      Schema.isMaxLength(maxCursorLength),
      Schema.makeFilter((text: string) => !unstorable.test(text))
    )
  ),
  Schema.Number.pipe(Schema.check(Schema.isInt(), Schema.isBetween({ minimum: -1e18, maximum: 1e18 })))
])
const PositionSchema = Schema.Tuple([Key, Uuid])
const decodePosition = Schema.decodeUnknownResult(Schema.fromJsonString(PositionSchema))

/**
 * The failure of every cursor Rota cannot read back: a 400 naming the `cursor` parameter.
 *
 * @since 0.1.0
 * @category errors
 */
export const invalidCursor = (): ValidationFailed =>
  new ValidationFailed({ errors: [{ path: ["query", "cursor"], message: "Invalid cursor" }] })

/**
 * An opaque cursor for a position.
 *
 * @since 0.1.0
 * @category cursors
 */
export const encodeCursor = (position: Position): string => Base64Url.encode(JSON.stringify(position))

/**
 * Reads a cursor back into typed keys: a forged, corrupted or oversized one is a 400, never a
 * crash and never a database error.
 *
 * @since 0.1.0
 * @category cursors
 */
export const decodeCursor = (cursor: string): Effect.Effect<Position, ValidationFailed> => {
  const decoded =
    cursor.length > maxCursorLength
      ? Result.fail(undefined)
      : Result.flatMap(
          Result.mapError(Base64Url.decodeString(cursor), () => undefined),
          (json) => Result.mapError(decodePosition(json), () => undefined)
        )
  return Result.isSuccess(decoded) ? Effect.succeed(decoded.success) : Effect.fail(invalidCursor())
}

/**
 * Builds the page from rows fetched with `limit + 1`: the extra row only says there is more.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromRows = <A>(
  rows: ReadonlyArray<A>,
  limit: number,
  positionOf: (row: A) => Position
): Page<A> => {
  if (rows.length <= limit) return { items: rows, nextCursor: null }
  const items = rows.slice(0, limit)
  return { items, nextCursor: encodeCursor(positionOf(items[items.length - 1]!)) }
}

/**
 * A parsed `sort` parameter: `createdAt` ascending, `-createdAt` descending.
 *
 * @since 0.1.0
 * @category models
 */
export interface Sort<Field extends string> {
  readonly field: Field
  readonly direction: "asc" | "desc"
}

/**
 * The schema of a `sort` query parameter over the given fields.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SortParam = <const Fields extends ReadonlyArray<string>>(fields: Fields) =>
  Schema.Literals([...fields, ...fields.map((field) => `-${field}` as `-${Fields[number]}`)])

/**
 * Reads a `sort` value (`field` or `-field`).
 *
 * @since 0.1.0
 * @category constructors
 */
export const parseSort = <Field extends string>(value: Field | `-${Field}`): Sort<Field> =>
  value.startsWith("-")
    ? { field: value.slice(1) as Field, direction: "desc" }
    : { field: value as Field, direction: "asc" }
