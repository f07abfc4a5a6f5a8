/**
 * What a person sends from a unit's intake form, without an account: what is wrong, who they
 * are, and how to reach them. `website` is a honeypot: people never see it, form-filling bots do.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { UnitId } from "../inventory/ResourceUnit.ts"

const Text = (min: number, max: number) =>
  Schema.String.pipe(
    Schema.check(Schema.isBetweenLength(min, max), Schema.isPattern(/\S/, { message: "must not be blank" }))
  )

/**
 * @since 0.1.0
 * @category schemas
 */
export const WorkRequest = Schema.Struct({
  description: Text(3, 2000),
  name: Text(1, 120),
  contact: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(200)))),
  website: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(200))))
})
/** @since 0.1.0 @category models */
export type WorkRequest = typeof WorkRequest.Type

/**
 * What the sender is told: a reference to quote, never the intervention's id.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WorkRequestReceipt = Schema.Struct({ reference: Schema.String })
/** @since 0.1.0 @category models */
export type WorkRequestReceipt = typeof WorkRequestReceipt.Type

/**
 * A unit's intake link: the public path of its form (`token` inside), and its generation, which
 * revoking moves on.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IntakeLink = Schema.Struct({
  unitId: UnitId,
  token: Schema.String,
  generation: Schema.Int
})
/** @since 0.1.0 @category models */
export type IntakeLink = typeof IntakeLink.Type
