/**
 * `@rota/sdk-client`: a typed client for the Rota HTTP API, for Effect apps (`RotaClient`) and
 * for everyone else (`createClient`, Promise-based). Runs in browsers and Node. Pages that use
 * a few groups import `@rota/sdk-client/lite` instead, which loads no Effect code.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * from "./Calls.ts"
/** @since 0.1.0 */
export type * from "./Entities.ts"
/** @since 0.1.0 */
export * from "./Failure.ts"
/** @since 0.1.0 */
export * from "./Ids.ts"
/** @since 0.1.0 */
export * from "./PromiseClient.ts"
/** @since 0.1.0 */
export * from "./RotaClient.ts"
/** @since 0.1.0 */
export * from "./RotaProblem.ts"
/** @since 0.1.0 */
export * from "./TimeInput.ts"
/** @since 0.1.0 */
export * from "./Transport.ts"
