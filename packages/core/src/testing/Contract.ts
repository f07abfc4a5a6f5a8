/**
 * Port contract suites as plain data: a name and an Effect per case. Each adapter's test file runs
 * the same cases with its own test runner and layers, so every adapter is held to one contract
 * and the core stays free of any test framework.
 *
 * @since 0.1.0
 */
import { Effect, Equal, Schema } from "effect"

/**
 * A contract case failed; the message says which expectation broke.
 *
 * @since 0.1.0
 * @category errors
 */
export class ContractViolation extends Schema.TaggedError<ContractViolation>()("ContractViolation", {
  message: Schema.String
}) {}

/**
 * @since 0.1.0
 * @category models
 */
export interface ContractCase<R> {
  readonly name: string
  readonly run: Effect.Effect<void, unknown, R>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ContractSuite<R> {
  readonly name: string
  readonly cases: ReadonlyArray<ContractCase<R>>
}

/**
 * Fails with a {@link ContractViolation} unless `actual` equals `expected` (structural `Equal`
 * for Effect data, JSON comparison for plain values).
 *
 * @since 0.1.0
 * @category assertions
 */
export const expectEqual = <A>(
  actual: A,
  expected: A,
  what: string
): Effect.Effect<void, ContractViolation> =>
  Equal.equals(actual, expected) || JSON.stringify(actual) === JSON.stringify(expected)
    ? Effect.void
    : Effect.fail(
        new ContractViolation({
          message: `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`
        })
      )

/**
 * Fails with a {@link ContractViolation} unless `condition` holds.
 *
 * @since 0.1.0
 * @category assertions
 */
export const expectTrue = (condition: boolean, what: string): Effect.Effect<void, ContractViolation> =>
  condition ? Effect.void : Effect.fail(new ContractViolation({ message: what }))
