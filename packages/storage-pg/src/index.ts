/**
 * `@rota/storage-pg`: Rota's storage on PostgreSQL (and the embedded PGlite).
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as AuthChanges from "./AuthChanges.ts"
/** @since 0.1.0 */
export * as Database from "./Database.ts"
/** @since 0.1.0 */
export * as Deadlines from "./Deadlines.ts"
/** @since 0.1.0 */
export * as Keyset from "./Keyset.ts"
/** @since 0.1.0 */
export * as Migrations from "./Migrations.ts"
export * as OrgArchive from "./OrgArchive.ts"
/** @since 0.1.0 */
export * as PgApiKeyRepo from "./PgApiKeyRepo.ts"
/** @since 0.1.0 */
export * as PgAuditLog from "./PgAuditLog.ts"
/** @since 0.1.0 */
export * as PgBookingRepos from "./PgBookingRepos.ts"
/** @since 0.1.0 */
export * as PgChangeLog from "./PgChangeLog.ts"
/** @since 0.1.0 */
export * as PgCrewRepos from "./PgCrewRepos.ts"
/** @since 0.1.0 */
export * as PgDocumentStore from "./PgDocumentStore.ts"
/** @since 0.1.0 */
export * as PgIdempotencyStore from "./PgIdempotencyStore.ts"
/** @since 0.1.0 */
export * as PgIdentityRepos from "./PgIdentityRepos.ts"
/** @since 0.1.0 */
export * as PgInterventionRepos from "./PgInterventionRepos.ts"
/** @since 0.1.0 */
export * as PgInventoryRepos from "./PgInventoryRepos.ts"
/** @since 0.1.0 */
export * as PgJobClaims from "./PgJobClaims.ts"
/** @since 0.1.0 */
export * as PgLedger from "./PgLedger.ts"
/** @since 0.1.0 */
export * as PgMaintenanceRepos from "./PgMaintenanceRepos.ts"
/** @since 0.1.0 */
export * as PgNotificationRepos from "./PgNotificationRepos.ts"
/** @since 0.1.0 */
export * as PgOutbox from "./PgOutbox.ts"
/** @since 0.1.0 */
export * as PgRecords from "./PgRecords.ts"
/** @since 0.1.0 */
export * as PgTransactor from "./PgTransactor.ts"
/** @since 0.1.0 */
export * as PgWaitlistRepo from "./PgWaitlistRepo.ts"
/** @since 0.1.0 */
export * as PgWebhookRepo from "./PgWebhookRepo.ts"
export * as Reversals from "./Reversals.ts"
/** @since 0.1.0 */
export * as SessionCache from "./SessionCache.ts"
/** @since 0.1.0 */
export * as SqlErrors from "./SqlErrors.ts"
/** @since 0.1.0 */
export * as Storage from "./Storage.ts"
/** @since 0.1.0 */
export * as TextSearch from "./TextSearch.ts"
/** @since 0.1.0 */
export * as VersionedRows from "./VersionedRows.ts"
