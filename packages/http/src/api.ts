/**
 * `@rota/http/api`: the server-free API definition, safe to import in browsers. It imports only
 * `effect` and `@rota/core`.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * from "./api/Api.ts"
/** @since 0.1.0 */
export * from "./api/AssignmentsApi.ts"
/** @since 0.1.0 */
export * from "./api/AuditApi.ts"
/** @since 0.1.0 */
export * from "./api/AuthApi.ts"
/** @since 0.1.0 */
export * from "./api/AvailabilityApi.ts"
/** @since 0.1.0 */
export * from "./api/BookingsApi.ts"
/** @since 0.1.0 */
export * from "./api/CalendarFeedsApi.ts"
/** @since 0.1.0 */
export * from "./api/Idempotency.ts"
/** @since 0.1.0 */
export * from "./api/InterventionsApi.ts"
/** @since 0.1.0 */
export * from "./api/InventoryApi.ts"
/** @since 0.1.0 */
export * from "./api/InvitationsApi.ts"
/** @since 0.1.0 */
export * as ListQuery from "./api/ListQuery.ts"
/** @since 0.1.0 */
export * from "./api/NotificationsApi.ts"
/** @since 0.1.0 */
export * from "./api/OrgsApi.ts"
/** @since 0.1.0 */
export * from "./api/PeopleApi.ts"
/** @since 0.1.0 */
export * as Problems from "./api/Problems.ts"
/** @since 0.1.0 */
export * from "./api/ProjectsApi.ts"
/** @since 0.1.0 */
export * from "./api/RateProfilesApi.ts"
/** @since 0.1.0 */
export * from "./api/RequestValidation.ts"
/** @since 0.1.0 */
export * from "./api/Security.ts"
/** @since 0.1.0 */
export * from "./api/SystemApi.ts"
/** @since 0.1.0 */
export * from "./api/TransferApi.ts"
/** @since 0.1.0 */
export * as Versioned from "./api/Versioned.ts"
/** @since 0.1.0 */
export * from "./api/WaitlistApi.ts"
/** @since 0.1.0 */
export * from "./api/WebhooksApi.ts"
