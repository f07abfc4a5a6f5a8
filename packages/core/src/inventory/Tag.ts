/**
 * Tags: labels on resources ("4k", "outdoor"), unique per org whatever their case.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { OrgId, Uuid } from "../kernel/Ids.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const TagId = Uuid.pipe(Schema.brand("TagId"))
/** @since 0.1.0 @category ids */
export type TagId = typeof TagId.Type

/**
 * 1..64 characters, no commas (tag filters are comma-separated), not blank.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TagName = Schema.String.pipe(
  Schema.check(
    Schema.isBetweenLength(1, 64),
    Schema.isPattern(/^[^,]*\S[^,]*$/, { message: "must not be blank or contain a comma" })
  )
)

/**
 * @since 0.1.0
 * @category models
 */
export class Tag extends Schema.Class<Tag>("@rota/core/Tag")({
  id: TagId,
  orgId: OrgId,
  name: TagName,
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export const TagFields = Schema.Struct({ name: TagName })

/**
 * Listing filters: `q` searches the name.
 *
 * @since 0.1.0
 * @category models
 */
export interface TagFilters {
  readonly q?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type TagSort = "name" | "createdAt"
