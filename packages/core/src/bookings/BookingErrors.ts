/**
 * The errors of bookings beyond the shared ones.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A unit (or its resource) that cannot be booked: deleted, disabled, in maintenance or retired.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotBookable extends Schema.TaggedError<NotBookable>()("NotBookable", {
  unitIds: Schema.Array(Schema.String),
  reason: Schema.String
}) {}

/**
 * A unit still out with an earlier booking cannot be checked out again.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnitNotReturned extends Schema.TaggedError<UnitNotReturned>()("UnitNotReturned", {
  unitIds: Schema.Array(Schema.String)
}) {}
