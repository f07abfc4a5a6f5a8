/**
 * Query parameters shared by list endpoints: `limit`, `cursor`, comma-separated enum filters,
 * `from`/`to` and `sort`.
 *
 * @since 0.1.0
 */
import { Pagination, Timestamp } from "@rota/core"
import { Schema, SchemaGetter } from "effect"

/**
 * `limit` (1..100, default 20) and the opaque `cursor` of the previous page.
 *
 * @since 0.1.0
 * @category fields
 */
export const page = {
  limit: Schema.optionalKey(Schema.NumberFromString.pipe(Schema.decodeTo(Pagination.Limit))),
  cursor: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(512))))
}

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
export const BooleanFlag = Schema.Literals(["true", "false"]).pipe(
  Schema.decodeTo(Schema.Boolean, {
    decode: SchemaGetter.transform((value: "true" | "false") => value === "true"),
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
