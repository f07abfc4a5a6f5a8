/**
 * `@rota/sdk-client/lite`: the light clients, one factory per group, sharing a
 * {@link connect | connection}. A page bundles only the groups it imports, and no Effect code.
 *
 * @since 0.1.0
 */
/** @since 0.1.0 */
export * from "./Calls.ts"
/** @since 0.1.0 */
export type * from "./Entities.ts"
/** @since 0.1.0 */
export * from "./Ids.ts"
/** @since 0.1.0 */
export * from "./LiteClient.ts"
/** @since 0.1.0 */
export * from "./LiteGroups.ts"
/** @since 0.1.0 */
export * from "./RotaProblem.ts"
/** @since 0.1.0 */
export * from "./Transport.ts"
