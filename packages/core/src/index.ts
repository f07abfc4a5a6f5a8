/**
 * `@rota/core`: Rota's domain as an embeddable Effect library.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Errors from "./Errors.ts"
/** @since 0.1.0 */
export * as Ids from "./Ids.ts"
/** @since 0.1.0 */
export * as RequestContext from "./RequestContext.ts"
/** @since 0.1.0 */
export * as Role from "./Role.ts"
/** @since 0.1.0 */
export * as Transactor from "./Transactor.ts"
