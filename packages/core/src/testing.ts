/**
 * `@rota/core/testing`: the port contract suites every adapter runs unchanged.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Contract from "./testing/Contract.ts"
/** @since 0.1.0 */
export * as TransactorContract from "./testing/TransactorContract.ts"
