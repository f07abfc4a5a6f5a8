/**
 * Sites: the places where resources live (a depot, a lab, a workshop).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { TimeZone } from "../identity/Organization.ts"
import { OrgId, Uuid } from "../kernel/Ids.ts"
import { Description, Name } from "./Names.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const SiteId = Uuid.pipe(Schema.brand("SiteId"))
/** @since 0.1.0 @category ids */
export type SiteId = typeof SiteId.Type

/**
 * @since 0.1.0
 * @category models
 */
export class Site extends Schema.Class<Site>("@rota/core/Site")({
  id: SiteId,
  orgId: OrgId,
  name: Name,
  address: Schema.NullOr(Description),
  /** The site's own zone when it differs from the org's. */
  timezone: Schema.NullOr(TimeZone),
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * The fields a caller sets on a site.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SiteFields = Schema.Struct({
  name: Name,
  address: Schema.optionalKey(Schema.NullOr(Description)),
  timezone: Schema.optionalKey(Schema.NullOr(TimeZone))
})
/** @since 0.1.0 @category models */
export type SiteFields = typeof SiteFields.Type

/**
 * Listing filters: `q` searches name and address.
 *
 * @since 0.1.0
 * @category models
 */
export interface SiteFilters {
  readonly q?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type SiteSort = "name" | "createdAt"
