/**
 * What joining the waitlist and a staff offer take, and the refusal to join when a unit is free.
 *
 * @since 0.1.0
 */
import { type DateTime, Schema } from "effect"
import type { ResourceId } from "../inventory/Resource.ts"
import type { UnitId } from "../inventory/ResourceUnit.ts"

/**
 * A unit of the resource is free for the whole interval: book it instead of waiting.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnitAvailable extends Schema.TaggedError<UnitAvailable>()("UnitAvailable", {
  unitIds: Schema.Array(Schema.String)
}) {}

/**
 * @since 0.1.0
 * @category models
 */
export interface Join {
  readonly resourceId: ResourceId
  readonly startAt: DateTime.Utc
  readonly endAt: DateTime.Utc
  readonly purpose: string
}

/**
 * What staff may offer: a chosen unit, another interval, or both.
 *
 * @since 0.1.0
 * @category models
 */
export interface StaffOffer {
  readonly unitId?: UnitId | undefined
  readonly startAt?: DateTime.Utc | undefined
  readonly endAt?: DateTime.Utc | undefined
}
