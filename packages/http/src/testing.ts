/**
 * `@rota/http/testing`: a real server on a free port, and the mailbox its secret links go to, for tests.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Mailbox from "./testing/Mailbox.ts"
/** @since 0.1.0 */
export * as TestServer from "./testing/TestServer.ts"
