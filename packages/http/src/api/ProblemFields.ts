/**
 * What every problem carries: its `code` as the tag clients branch on, the `requestId` to quote
 * when reporting it, an optional `detail`, and a `type` URI derived from the code.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The fields of the problem with this `code`.
 *
 * @since 0.1.0
 * @category fields
 */
export const fields = <const Code extends string>(code: Code) => ({
  code: Schema.tag(code),
  requestId: Schema.String,
  detail: Schema.optionalKey(Schema.String)
})

/**
 * The `type` URI of the problem with this `code`.
 *
 * @since 0.1.0
 * @category fields
 */
export const type = <const Code extends string>(code: Code) => `urn:rota:problem:${code}` as const
