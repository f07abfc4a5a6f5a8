/**
 * Optimistic locking on the wire: entities carry `version` in the body and a strong
 * `ETag: "<version>"`; writes name the version they were based on in `If-Match`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { HttpApiSchema } from "effect/http-api"

/**
 * The `ETag` of a version.
 *
 * @since 0.1.0
 * @category etags
 */
export const etagOf = (version: number): string => `"${version}"`

/**
 * A success schema for a versioned entity that also sends its `ETag` header; clients decode
 * the entity alone (its `version` says the same).
 *
 * @since 0.1.0
 * @category schemas
 */
export const withEtag = <S extends Schema.Top & { readonly Type: { readonly version: number } }>(schema: S) =>
  schema.pipe(
    HttpApiSchema.encodeToWithHeaders(
      { body: schema, headers: { etag: Schema.String } },
      {
        // TypeScript cannot simplify the decoded struct's type for a generic schema; it is `{ body, headers }`.
        decode: (value) => (value as { readonly body: S["Type"] }).body,
        encode: (value) => ({ body: value, headers: { etag: etagOf(value.version) } })
      }
    )
  )

/**
 * The optional `If-Match` header, declared on writes to versioned entities.
 *
 * @since 0.1.0
 * @category headers
 */
export const IfMatch = { "if-match": Schema.optionalKey(Schema.String) }
