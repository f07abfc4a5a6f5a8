/**
 * `@rota/storage-pg/testing`: fresh databases for tests of this and the other packages.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as TestDatabase from "./testing/TestDatabase.ts"
