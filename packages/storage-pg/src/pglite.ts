/**
 * The embedded store (PGlite), apart from the main entry: importing `@rota/storage-pg` does not
 * load it, and `Database.layer` imports it only when no PostgreSQL URL is given.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as PgliteClient from "./PgliteClient.ts"
