/**
 * Parts used on an intervention: each use takes pieces out of stock in the same transaction
 * and adds their cost to the intervention.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { PartId } from "../inventory/Part.ts"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { Money } from "../kernel/Money.ts"
import { InterventionId } from "./Intervention.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const PartUseId = Uuid.pipe(Schema.brand("PartUseId"))
/** @since 0.1.0 @category ids */
export type PartUseId = typeof PartUseId.Type

/**
 * @since 0.1.0
 * @category models
 */
export class PartUse extends Schema.Class<PartUse>("@rota/core/PartUse")({
  id: PartUseId,
  orgId: OrgId,
  interventionId: InterventionId,
  partId: PartId,
  quantity: Schema.Int,
  /** The part's price when it was used; later price changes do not rewrite the cost. */
  unitPrice: Money,
  total: Money,
  usedBy: AccountId,
  usedAt: Schema.DateTimeUtc
}) {}

/**
 * A request to use parts: which part, and how many pieces (1..1,000,000).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartUseFields = Schema.Struct({
  partId: PartId,
  quantity: Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 1_000_000 })))
})
/** @since 0.1.0 @category models */
export type PartUseFields = typeof PartUseFields.Type
