/**
 * `@rota/core/testing`: the port contract suites every adapter runs unchanged.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as AuditLogContract from "./testing/AuditLogContract.ts"
/** @since 0.1.0 */
export * as Contract from "./testing/Contract.ts"
/** @since 0.1.0 */
export * as IdempotencyContract from "./testing/IdempotencyContract.ts"
/** @since 0.1.0 */
export * as JobClaimsContract from "./testing/JobClaimsContract.ts"
/** @since 0.1.0 */
export * as LedgerContract from "./testing/LedgerContract.ts"
/** @since 0.1.0 */
export * as OutboxContract from "./testing/OutboxContract.ts"
/** @since 0.1.0 */
export * as TransactorContract from "./testing/TransactorContract.ts"
