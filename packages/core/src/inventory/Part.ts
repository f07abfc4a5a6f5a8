/**
 * Spare parts: stock an org keeps and interventions consume. Stock is never negative.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { ValidationFailed } from "../kernel/Errors.ts"
import { OrgId, Uuid } from "../kernel/Ids.ts"
import { Price } from "../kernel/Money.ts"
import { Code, Description, Name } from "./Names.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const PartId = Uuid.pipe(Schema.brand("PartId"))
/** @since 0.1.0 @category ids */
export type PartId = typeof PartId.Type

/**
 * A count of pieces: 0..1,000,000,000.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Quantity = Schema.Int.pipe(
  Schema.check(Schema.isBetween({ minimum: 0, maximum: 1_000_000_000 }))
)

/**
 * The most pieces a part can have on hand.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxQuantity = 1_000_000_000

/**
 * @since 0.1.0
 * @category models
 */
export class Part extends Schema.Class<Part>("@rota/core/Part")({
  id: PartId,
  orgId: OrgId,
  /** Unique in the org among live parts. */
  sku: Code,
  name: Name,
  description: Schema.NullOr(Description),
  quantityOnHand: Quantity,
  unitPrice: Price,
  /** At or below this, the part shows in `lowStock` listings. */
  reorderLevel: Quantity,
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * The fields a caller sets on a part. Stock changes after creation go through adjustments, so
 * every change of stock has a reason.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PartFields = Schema.Struct({
  sku: Code,
  name: Name,
  description: Schema.optionalKey(Schema.NullOr(Description)),
  quantityOnHand: Schema.optionalKey(Quantity),
  unitPrice: Price,
  reorderLevel: Schema.optionalKey(Quantity)
})
/** @since 0.1.0 @category models */
export type PartFields = typeof PartFields.Type

/**
 * A change of stock: a non-zero number of pieces added (or taken, when negative), and why.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Adjustment = Schema.Struct({
  delta: Schema.Int.pipe(
    Schema.check(
      Schema.isBetween({ minimum: -1_000_000_000, maximum: 1_000_000_000 }),
      Schema.makeFilter((delta: number) => delta !== 0 || "must not be zero")
    )
  ),
  reason: Schema.String.pipe(
    Schema.check(Schema.isBetweenLength(1, 500), Schema.isPattern(/\S/, { message: "must not be blank" }))
  )
})
/** @since 0.1.0 @category models */
export type Adjustment = typeof Adjustment.Type

/**
 * Taking more pieces than are on hand.
 *
 * @since 0.1.0
 * @category errors
 */
export class InsufficientStock extends Schema.TaggedError<InsufficientStock>()("InsufficientStock", {
  partId: Schema.String,
  onHand: Schema.Int,
  requested: Schema.Int
}) {}

/**
 * The stock after taking `delta` pieces, or `InsufficientStock` when it would go below zero.
 *
 * @since 0.1.0
 * @category rules
 */
export const adjust = (
  part: Part,
  delta: number
): Effect.Effect<number, InsufficientStock | ValidationFailed> => {
  const quantity = part.quantityOnHand + delta
  if (quantity < 0)
    return Effect.fail(
      new InsufficientStock({ partId: part.id, onHand: part.quantityOnHand, requested: -delta })
    )
  if (quantity > maxQuantity)
    return Effect.fail(
      new ValidationFailed({
        errors: [{ path: ["body", "delta"], message: `Stock would exceed ${maxQuantity}` }]
      })
    )
  return Effect.succeed(quantity)
}

/**
 * Listing filters: `q` searches SKU and name; `lowStock` keeps parts at or below their reorder
 * level.
 *
 * @since 0.1.0
 * @category models
 */
export interface PartFilters {
  readonly q?: string | undefined
  readonly lowStock?: boolean | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type PartSort = "name" | "sku" | "quantityOnHand" | "createdAt"

/**
 * Whether a stock change takes a part from above its reorder level to at or below it: the
 * moment to tell the people who restock, once, not on every later use.
 *
 * @since 0.1.0
 * @category rules
 */
export const reachedReorderLevel = (before: Part, after: Part): boolean =>
  before.quantityOnHand > after.reorderLevel && after.quantityOnHand <= after.reorderLevel

/**
 * The payload announcing that a part reached its reorder level.
 *
 * @since 0.1.0
 * @category rules
 */
export const reorderPayload = (part: Part) => ({
  id: part.id,
  sku: part.sku,
  name: part.name,
  quantityOnHand: part.quantityOnHand,
  reorderLevel: part.reorderLevel
})
