/**
 * `@rota/core`: Rota's domain as an embeddable Effect library.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Audit from "./Audit.ts"
/** @since 0.1.0 */
export * as AuditLog from "./AuditLog.ts"
/** @since 0.1.0 */
export * as Errors from "./Errors.ts"
/** @since 0.1.0 */
export * as Idempotency from "./Idempotency.ts"
/** @since 0.1.0 */
export * as Ids from "./Ids.ts"
/** @since 0.1.0 */
export * as Jobs from "./Jobs.ts"
/** @since 0.1.0 */
export * as Outbox from "./Outbox.ts"
/** @since 0.1.0 */
export * as Pagination from "./Pagination.ts"
/** @since 0.1.0 */
export * as RequestContext from "./RequestContext.ts"
/** @since 0.1.0 */
export * as Role from "./Role.ts"
/** @since 0.1.0 */
export * as Transactor from "./Transactor.ts"
/** @since 0.1.0 */
export * as Versioning from "./Versioning.ts"
