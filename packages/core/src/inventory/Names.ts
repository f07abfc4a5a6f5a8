/**
 * The text fields inventory records share.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A display name: 1..200 characters, not blank.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Name = Schema.String.pipe(
  Schema.check(Schema.isBetweenLength(1, 200), Schema.isPattern(/\S/, { message: "must not be blank" }))
)

/**
 * Free text: up to 4,000 characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Description = Schema.String.pipe(Schema.check(Schema.isMaxLength(4000)))

/**
 * A code printed on a label or typed by hand (serial numbers, barcodes, SKUs): 1..100 visible
 * characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Code = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[\x21-\x7E](?:[\x20-\x7E]{0,98}[\x21-\x7E])?$/))
)
