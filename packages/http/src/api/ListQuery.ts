/**
 * Query parameters shared by list endpoints: `limit`, `cursor`, comma-separated enum filters,
 * `from`/`to`, `sort` and the filter by whose records a list holds.
 *
 * @since 0.1.0
 */
import { Ids, Pagination, type Permissions, Timestamp } from "@rota/core"
import type { JsonSchema } from "effect"
import { Schema, SchemaGetter } from "effect"

// Query values are text on the wire, but OpenAPI describes a parameter by its value (`limit` is an
// integer, serialised by the client): without this a generated client could only pass strings.
// The declaration stays text in every codec, and its check tells the document what the text holds.
const queryText = (expected: string, pattern: RegExp, jsonSchema: JsonSchema.JsonSchema) =>
  Schema.declare((input: unknown): input is string => typeof input === "string", {
    expected: "a string",
    toCodecJson: () => undefined,
    toCodecStringTree: () => undefined
  }).check(
    Schema.makeFilter((text: string) => pattern.test(text), { expected, toJsonSchema: () => jsonSchema })
  )

/**
 * An integer query parameter within bounds, documented as `type: integer`.
 *
 * @since 0.1.0
 * @category fields
 */
export const IntegerParam = (bounds: { readonly minimum: number; readonly maximum: number }) =>
  queryText("an integer", /^\d{1,9}$/, { type: "integer", ...bounds }).pipe(
    Schema.decodeTo(Schema.Int.pipe(Schema.check(Schema.isBetween(bounds))), {
      decode: SchemaGetter.transform((text: string) => Number(text)),
      encode: SchemaGetter.transform((value: number) => String(value))
    })
  )

/**
 * `limit` (1..100, default 20) and the opaque `cursor` of the previous page.
 *
 * @since 0.1.0
 * @category fields
 */
export const page = {
  limit: Schema.optionalKey(
    IntegerParam({ minimum: 1, maximum: 100 }).pipe(Schema.decodeTo(Pagination.Limit))
  ),
  cursor: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(512))))
}

/**
 * The deepest row `page`/`size` reach (`page * size`): each such page reads the rows before it,
 * so deeper listing goes by `cursor`, whose cost does not grow with depth.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxNumberedRows = 1000

/**
 * `page` (from 1) and `size` (1..100, default 20): numbered pages beside the cursor, for tools
 * that page by number. Not combinable with `cursor`/`limit`; `page * size` at most
 * {@link maxNumberedRows}.
 *
 * @since 0.1.0
 * @category fields
 */
export const numberedPage = {
  page: Schema.optionalKey(IntegerParam({ minimum: 1, maximum: maxNumberedRows })),
  size: Schema.optionalKey(IntegerParam({ minimum: 1, maximum: 100 }))
}

/**
 * A page of `item` on routes that take {@link numberedPage} too: `hasMore` says whether rows
 * follow (no total, which would count the whole organisation); `page`/`size` echo a numbered
 * request.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListPage = <S extends Schema.Top>(item: S) =>
  Schema.Struct({
    items: Schema.Array(item),
    nextCursor: Schema.NullOr(Schema.String),
    hasMore: Schema.Boolean,
    page: Schema.optionalKey(Schema.Int),
    size: Schema.optionalKey(Schema.Int)
  })

/**
 * A comma-separated list of literals: `status=PENDING,APPROVED`.
 *
 * @since 0.1.0
 * @category fields
 */
export const commaList = <const L extends ReadonlyArray<string>>(literals: L) =>
  Schema.String.pipe(
    Schema.decodeTo(Schema.Array(Schema.Literals(literals)), {
      decode: SchemaGetter.transform((value: string) => value.split(",").map((item) => item.trim())),
      encode: SchemaGetter.transform((values: ReadonlyArray<string>) => values.join(","))
    })
  )

/**
 * A comma-separated list of free values, each checked by `item`: `type=camera,van`.
 *
 * @since 0.1.0
 * @category fields
 */
export const commaSeparated = <S extends Schema.Codec<string, string>>(item: S) =>
  Schema.String.pipe(
    Schema.decodeTo(Schema.Array(item), {
      decode: SchemaGetter.transform((value: string) => value.split(",").map((part) => part.trim())),
      encode: SchemaGetter.transform((values: ReadonlyArray<string>) => values.join(","))
    })
  )

/**
 * A search text for `?q=`: 1..200 characters.
 *
 * @since 0.1.0
 * @category fields
 */
export const SearchText = Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 200)))

/**
 * An instant in strict RFC 3339, offset required (`2026-03-01T09:30:00Z`).
 *
 * @since 0.1.0
 * @category fields
 */
export const Instant = Timestamp.TimestampFromString

/**
 * `from`/`to`: items whose interval (or creation time) overlaps `[from, to)`.
 *
 * @since 0.1.0
 * @category fields
 */
export const period = {
  from: Schema.optionalKey(Instant),
  to: Schema.optionalKey(Instant)
}

/**
 * `true` or `false`.
 *
 * @since 0.1.0
 * @category fields
 */
export const BooleanFlag = queryText("true or false", /^(?:true|false)$/, { type: "boolean" }).pipe(
  Schema.decodeTo(Schema.Boolean, {
    decode: SchemaGetter.transform((value: string) => value === "true"),
    encode: SchemaGetter.transform((value: boolean) => (value ? "true" : "false"))
  })
)

/**
 * `sort=field` or `sort=-field` over the documented fields.
 *
 * @since 0.1.0
 * @category fields
 */
export const sort = <const Fields extends ReadonlyArray<string>>(fields: Fields) => ({
  sort: Schema.optionalKey(Pagination.SortParam(fields))
})

/**
 * `includeDeleted=true` shows soft-deleted records too (to those allowed to see them).
 *
 * @since 0.1.0
 * @category fields
 */
export const includeDeleted = { includeDeleted: Schema.optionalKey(BooleanFlag) }

/**
 * A filter by whose records a list holds (`requesterId`, `accountId`). With `readAll` a caller
 * names any account; anyone else sees only their own records, so only their own id is accepted
 * and another account answers 403 rather than the caller's own records under its name.
 *
 * @since 0.1.0
 * @category fields
 */
export const accountFilter = (readAll: Permissions.Permission) =>
  Schema.optionalKey(
    Ids.AccountId.annotate({
      description: `Whose records. Without \`${readAll}\`, only the caller's own id: another account is 403.`
    })
  )
