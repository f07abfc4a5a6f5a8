/**
 * `@rota/sdk-client`: a typed client for the Rota HTTP API, for Effect apps (`RotaClient`) and
 * for everyone else (`createClient`, Promise-based). Runs in browsers and Node.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * from "./PromiseClient.ts"
/** @since 0.1.0 */
export * from "./RotaClient.ts"
/** @since 0.1.0 */
export * from "./RotaProblem.ts"
