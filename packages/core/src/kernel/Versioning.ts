/**
 * Optimistic locking: every entity with a PATCH route carries a `version` that each change
 * raises by one; a change names the version it was based on and is refused when it is stale.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { PreconditionFailed, PreconditionRequired } from "./Errors.ts"

/**
 * @since 0.1.0
 * @category schemas
 */
export const Version = Schema.Int.pipe(Schema.check(Schema.isGreaterThanOrEqualTo(1)))

/**
 * The version a change was based on: a number; `undefined` when the caller need not say (DELETE
 * and state changes); {@link missing} when it should have said and did not (PATCH).
 *
 * @since 0.1.0
 * @category models
 */
export type Expected = number | undefined | typeof missing

/**
 * The caller did not name a version where one is required.
 *
 * @since 0.1.0
 * @category models
 */
export const missing = "missing" as const

/**
 * The version to compare with, or `PreconditionRequired` when it is {@link missing}. Use cases
 * call it after their permission and existence checks, so those answer first.
 *
 * @since 0.1.0
 * @category rules
 */
export const demand = (
  entity: string,
  expected: Expected
): Effect.Effect<number | undefined, PreconditionRequired> =>
  expected === missing ? Effect.fail(new PreconditionRequired({ entity })) : Effect.succeed(expected)

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
  expected: number | undefined
): Effect.Effect<void, PreconditionFailed> =>
  expected === undefined || expected === current
    ? Effect.void
    : Effect.fail(new PreconditionFailed({ entity, id, expectedVersion: expected }))
