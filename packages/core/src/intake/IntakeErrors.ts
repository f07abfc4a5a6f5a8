/**
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * The unit's form took its hourly share of requests; it takes more after `retryAfterSeconds`.
 *
 * @since 0.1.0
 * @category errors
 */
export class IntakeBusy extends Schema.TaggedError<IntakeBusy>()("IntakeBusy", {
  retryAfterSeconds: Schema.Int
}) {}
