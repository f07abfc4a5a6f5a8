/**
 * Optimistic locking: every entity with a PATCH route carries a `version` that each change
 * raises by one; a change names the version it was based on and is refused when it is stale.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { PreconditionFailed } from "./Errors.ts"

/**
 * @since 0.1.0
 * @category schemas
 */
export const Version = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1)))

/**
 * The version a change was based on; `undefined` when the caller did not say (DELETE and state
 * changes may omit it, PATCH may not).
 *
 * @since 0.1.0
 * @category models
 */
export type Expected = number | undefined

/**
 * Refuses a change based on another version than the current one.
 *
 * @since 0.1.0
 * @category rules
 */
export const check = (
  entity: string,
  id: string,
  current: number,
  expected: Expected
): Effect.Effect<void, PreconditionFailed> =>
  expected === undefined || expected === current
    ? Effect.void
    : Effect.fail(new PreconditionFailed({ entity, id, expectedVersion: expected }))
