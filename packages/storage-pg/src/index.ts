/**
 * `@rota/storage-pg`: Rota's storage on PostgreSQL (and the embedded PGlite).
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Database from "./Database.ts"
/** @since 0.1.0 */
export * as Migrations from "./Migrations.ts"
/** @since 0.1.0 */
export * as PgliteClient from "./PgliteClient.ts"
/** @since 0.1.0 */
export * as PgTransactor from "./PgTransactor.ts"
/** @since 0.1.0 */
export * as SqlErrors from "./SqlErrors.ts"
