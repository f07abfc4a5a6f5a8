/**
 * `@rota/http`: the Rota HTTP server. The API definition alone is in `@rota/http/api`.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as LogSink from "./server/adapters/LogSink.ts"
/** @since 0.1.0 */
export * as DemoData from "./server/DemoData.ts"
/** @since 0.1.0 */
export * as Edge from "./server/edge/Edge.ts"
/** @since 0.1.0 */
export * as ErrorTable from "./server/handlers/ErrorTable.ts"
/** @since 0.1.0 */
export * as HandlerGroup from "./server/handlers/HandlerGroup.ts"
/** @since 0.1.0 */
export * as Server from "./server/Server.ts"
/** @since 0.1.0 */
export * as ServerConfig from "./server/ServerConfig.ts"
/** @since 0.1.0 */
export * as UseCases from "./server/UseCases.ts"
