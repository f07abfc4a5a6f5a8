/**
 * `@rota/storage-pg/testing`: fresh databases for tests of this and the other packages, and a
 * TCP proxy that breaks the network to them on demand or counts the round trips through it.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as FaultProxy from "./testing/FaultProxy.ts"
/** @since 0.1.0 */
export * as RoundTrips from "./testing/RoundTrips.ts"
/** @since 0.1.0 */
export * as TestDatabase from "./testing/TestDatabase.ts"
