/**
 * `@rota/http/testing`: a real server on a free port, for tests.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as TestServer from "./testing/TestServer.ts"
