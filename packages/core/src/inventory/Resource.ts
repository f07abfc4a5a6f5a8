/**
 * Resources: the kinds of things an org lends and maintains ("4K camera kit"), each with one or
 * more identical units.
 *
 * @since 0.1.0
 */
import { type DateTime, Schema } from "effect"
import { OrgId, Uuid } from "../kernel/Ids.ts"
import { Code, Description, Name } from "./Names.ts"
import { SiteId } from "./Site.ts"
import { TagName } from "./Tag.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const ResourceId = Uuid.pipe(Schema.brand("ResourceId"))
/** @since 0.1.0 @category ids */
export type ResourceId = typeof ResourceId.Type

/**
 * `AVAILABLE` can be booked; `MAINTENANCE` and `DISABLED` cannot.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResourceStatus = Schema.Literals(["AVAILABLE", "MAINTENANCE", "DISABLED"])
/** @since 0.1.0 @category models */
export type ResourceStatus = typeof ResourceStatus.Type

/**
 * What kind of thing it is ("camera", "van"): the org's own vocabulary, 1..64 characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResourceType = Schema.String.pipe(
  Schema.check(
    Schema.isBetweenLength(1, 64),
    Schema.isPattern(/^[^,]*\S[^,]*$/, { message: "must not be blank or contain a comma" })
  )
)

/**
 * @since 0.1.0
 * @category schemas
 */
export const TagNames = Schema.Array(TagName).pipe(Schema.check(Schema.isMaxLength(50)))

/**
 * @since 0.1.0
 * @category models
 */
export class Resource extends Schema.Class<Resource>("@rota/core/Resource")({
  id: ResourceId,
  orgId: OrgId,
  siteId: Schema.NullOr(SiteId),
  type: ResourceType,
  name: Name,
  description: Schema.NullOr(Description),
  serialNumber: Schema.NullOr(Code),
  status: ResourceStatus,
  /** Tag names, sorted case-insensitively. */
  tags: Schema.Array(Schema.String),
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * The fields a caller sets on a resource. Tags are named; each must exist in the org.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResourceFields = Schema.Struct({
  name: Name,
  type: ResourceType,
  siteId: Schema.optionalKey(Schema.NullOr(SiteId)),
  description: Schema.optionalKey(Schema.NullOr(Description)),
  serialNumber: Schema.optionalKey(Schema.NullOr(Code)),
  status: Schema.optionalKey(ResourceStatus),
  tags: Schema.optionalKey(TagNames)
})
/** @since 0.1.0 @category models */
export type ResourceFields = typeof ResourceFields.Type

/**
 * Listing filters. `q` searches name, description and serial number; `tag` is a tag name.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResourceFilters {
  readonly types?: ReadonlyArray<string> | undefined
  readonly statuses?: ReadonlyArray<ResourceStatus> | undefined
  readonly tag?: string | undefined
  readonly siteId?: SiteId | undefined
  readonly q?: string | undefined
  readonly createdFrom?: DateTime.Utc | undefined
  readonly createdTo?: DateTime.Utc | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type ResourceSort = "name" | "createdAt" | "type"

/**
 * Whether new bookings may claim the resource's units.
 *
 * @since 0.1.0
 * @category rules
 */
export const isBookable = (resource: Resource): boolean =>
  resource.status === "AVAILABLE" && resource.deletedAt === null
