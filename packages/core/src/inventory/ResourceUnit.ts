/**
 * Resource units: the identical, individually labelled copies of a resource. A booking claims
 * units, never a resource as a whole.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { OrgId, Uuid } from "../kernel/Ids.ts"
import { Code, Description } from "./Names.ts"
import { type Resource, ResourceId } from "./Resource.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const UnitId = Uuid.pipe(Schema.brand("UnitId"))
/** @since 0.1.0 @category ids */
export type UnitId = typeof UnitId.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const UnitCondition = Schema.Literals(["NEW", "GOOD", "FAIR", "DAMAGED"])
/** @since 0.1.0 @category models */
export type UnitCondition = typeof UnitCondition.Type

/**
 * `AVAILABLE` can be booked; `MAINTENANCE` and `RETIRED` cannot.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnitStatus = Schema.Literals(["AVAILABLE", "MAINTENANCE", "RETIRED"])
/** @since 0.1.0 @category models */
export type UnitStatus = typeof UnitStatus.Type

/**
 * @since 0.1.0
 * @category models
 */
export class ResourceUnit extends Schema.Class<ResourceUnit>("@rota/core/ResourceUnit")({
  id: UnitId,
  orgId: OrgId,
  resourceId: ResourceId,
  /** Unique in the org among live units. */
  barcode: Code,
  condition: UnitCondition,
  status: UnitStatus,
  notes: Schema.NullOr(Description),
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * The fields a caller sets on a unit.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnitFields = Schema.Struct({
  barcode: Code,
  condition: Schema.optionalKey(UnitCondition),
  status: Schema.optionalKey(UnitStatus),
  notes: Schema.optionalKey(Schema.NullOr(Description))
})
/** @since 0.1.0 @category models */
export type UnitFields = typeof UnitFields.Type

/**
 * Listing filters: the resource (always given by the route), status, condition; `q` searches
 * the barcode.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnitFilters {
  readonly resourceId?: ResourceId | undefined
  readonly statuses?: ReadonlyArray<UnitStatus> | undefined
  readonly conditions?: ReadonlyArray<UnitCondition> | undefined
  readonly q?: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type UnitSort = "barcode" | "createdAt"

/**
 * A unit can be booked only if it is `AVAILABLE` and its resource is bookable.
 *
 * @since 0.1.0
 * @category rules
 */
export const isBookable = (
  unit: Pick<ResourceUnit, "status" | "deletedAt">,
  resource: Pick<Resource, "status" | "deletedAt">
): boolean =>
  unit.status === "AVAILABLE" &&
  unit.deletedAt === null &&
  resource.status === "AVAILABLE" &&
  resource.deletedAt === null
