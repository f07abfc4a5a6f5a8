/**
 * `@rota/core/testing`: the port contract suites every adapter runs unchanged, and the memory
 * adapters that pass them, for tests that need no database.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as AccountReposContract from "./testing/AccountReposContract.ts"
/** @since 0.1.0 */
export * as ApiKeyRepoContract from "./testing/ApiKeyRepoContract.ts"
/** @since 0.1.0 */
export * as AuditLogContract from "./testing/AuditLogContract.ts"
/** @since 0.1.0 */
export * as BlackoutRepoContract from "./testing/BlackoutRepoContract.ts"
/** @since 0.1.0 */
/** @since 0.1.0 */
export * as BookingFixtures from "./testing/BookingFixtures.ts"
/** @since 0.1.0 */
export * as BookingReposContract from "./testing/BookingReposContract.ts"
/** @since 0.1.0 */
export * as CalendarFeedRepoContract from "./testing/CalendarFeedRepoContract.ts"
export * as ChangeLogContract from "./testing/ChangeLogContract.ts"
/** @since 0.1.0 */
export * as Contract from "./testing/Contract.ts"
/** @since 0.1.0 */
export * as CrewFixtures from "./testing/CrewFixtures.ts"
/** @since 0.1.0 */
export * as CrewReposContract from "./testing/CrewReposContract.ts"
/** @since 0.1.0 */
export * as CrewWorkContract from "./testing/CrewWorkContract.ts"
/** @since 0.1.0 */
export * as IdempotencyContract from "./testing/IdempotencyContract.ts"
/** @since 0.1.0 */
export * as IdentityFixtures from "./testing/IdentityFixtures.ts"
/** @since 0.1.0 */
export * as IntakeRepoContract from "./testing/IntakeRepoContract.ts"
/** @since 0.1.0 */
export * as InterventionFixtures from "./testing/InterventionFixtures.ts"
/** @since 0.1.0 */
export * as InterventionRecordsContract from "./testing/InterventionRecordsContract.ts"
/** @since 0.1.0 */
export * as InterventionReposContract from "./testing/InterventionReposContract.ts"
/** @since 0.1.0 */
export * as InventoryReposContract from "./testing/InventoryReposContract.ts"
/** @since 0.1.0 */
export * as JobClaimsContract from "./testing/JobClaimsContract.ts"
/** @since 0.1.0 */
export * as LedgerContract from "./testing/LedgerContract.ts"
/** @since 0.1.0 */
export * as MaintenancePlanRepoContract from "./testing/MaintenancePlanRepoContract.ts"
/** @since 0.1.0 */
export * as MemoryAccountRepos from "./testing/MemoryAccountRepos.ts"
/** @since 0.1.0 */
export * as MemoryApiKeyRepo from "./testing/MemoryApiKeyRepo.ts"
/** @since 0.1.0 */
export * as MemoryAuditLog from "./testing/MemoryAuditLog.ts"
/** @since 0.1.0 */
export * as MemoryBlackoutRepo from "./testing/MemoryBlackoutRepo.ts"
/** @since 0.1.0 */
export * as MemoryBookingRepos from "./testing/MemoryBookingRepos.ts"
/** @since 0.1.0 */
export * as MemoryCalendarFeedRepo from "./testing/MemoryCalendarFeedRepo.ts"
export * as MemoryChangeLog from "./testing/MemoryChangeLog.ts"
/** @since 0.1.0 */
export * as MemoryCrewRepos from "./testing/MemoryCrewRepos.ts"
/** @since 0.1.0 */
export * as MemoryDatabase from "./testing/MemoryDatabase.ts"
/** @since 0.1.0 */
export * as MemoryIdempotencyStore from "./testing/MemoryIdempotencyStore.ts"
/** @since 0.1.0 */
export * as MemoryIdentityRepos from "./testing/MemoryIdentityRepos.ts"
/** @since 0.1.0 */
export * as MemoryIdentityTables from "./testing/MemoryIdentityTables.ts"
/** @since 0.1.0 */
export * as MemoryIntakeRepo from "./testing/MemoryIntakeRepo.ts"
/** @since 0.1.0 */
export * as MemoryInterventionRepo from "./testing/MemoryInterventionRepo.ts"
/** @since 0.1.0 */
export * as MemoryInterventionRepos from "./testing/MemoryInterventionRepos.ts"
/** @since 0.1.0 */
export * as MemoryInventoryRepos from "./testing/MemoryInventoryRepos.ts"
/** @since 0.1.0 */
export * as MemoryJobClaims from "./testing/MemoryJobClaims.ts"
/** @since 0.1.0 */
export * as MemoryLedger from "./testing/MemoryLedger.ts"
/** @since 0.1.0 */
export * as MemoryMaintenanceRepos from "./testing/MemoryMaintenanceRepos.ts"
/** @since 0.1.0 */
export * as MemoryMembershipRepo from "./testing/MemoryMembershipRepo.ts"
/** @since 0.1.0 */
export * as MemoryNotificationDirectory from "./testing/MemoryNotificationDirectory.ts"
/** @since 0.1.0 */
export * as MemoryNotificationRepos from "./testing/MemoryNotificationRepos.ts"
/** @since 0.1.0 */
export * as MemoryOutbox from "./testing/MemoryOutbox.ts"
/** @since 0.1.0 */
export * as MemoryPages from "./testing/MemoryPages.ts"
/** @since 0.1.0 */
export * as MemoryRecords from "./testing/MemoryRecords.ts"
/** @since 0.1.0 */
export * as MemoryReminderRepo from "./testing/MemoryReminderRepo.ts"
/** @since 0.1.0 */
export * as MemoryReportRepo from "./testing/MemoryReportRepo.ts"
/** @since 0.1.0 */
export * as MemoryReportTotals from "./testing/MemoryReportTotals.ts"
/** @since 0.1.0 */
export * as MemorySeriesRepo from "./testing/MemorySeriesRepo.ts"
/** @since 0.1.0 */
export * as MemorySessionRepos from "./testing/MemorySessionRepos.ts"
/** @since 0.1.0 */
export * as MemoryStorage from "./testing/MemoryStorage.ts"
/** @since 0.1.0 */
export * as MemoryTransactor from "./testing/MemoryTransactor.ts"
/** @since 0.1.0 */
export * as MemoryWaitlistRepo from "./testing/MemoryWaitlistRepo.ts"
/** @since 0.1.0 */
export * as MemoryWebhookRepo from "./testing/MemoryWebhookRepo.ts"
/** @since 0.1.0 */
export * as MemoryWebhookRows from "./testing/MemoryWebhookRows.ts"
/** @since 0.1.0 */
export * as MemoryWorkTotals from "./testing/MemoryWorkTotals.ts"
/** @since 0.1.0 */
export * as NotificationDirectoryContract from "./testing/NotificationDirectoryContract.ts"
/** @since 0.1.0 */
export * as NotificationReposContract from "./testing/NotificationReposContract.ts"
/** @since 0.1.0 */
export * as OutboxContract from "./testing/OutboxContract.ts"
/** @since 0.1.0 */
export * as ReminderRepoContract from "./testing/ReminderRepoContract.ts"
/** @since 0.1.0 */
export * as ReportFixtures from "./testing/ReportFixtures.ts"
/** @since 0.1.0 */
export * as ReportRepoContract from "./testing/ReportRepoContract.ts"
/** @since 0.1.0 */
export * as ReportWorkCases from "./testing/ReportWorkCases.ts"
/** @since 0.1.0 */
export * as SeriesRepoContract from "./testing/SeriesRepoContract.ts"
/** @since 0.1.0 */
export * as SessionReposContract from "./testing/SessionReposContract.ts"
/** @since 0.1.0 */
export * as TransactorContract from "./testing/TransactorContract.ts"
/** @since 0.1.0 */
export * as WaitlistFixtures from "./testing/WaitlistFixtures.ts"
/** @since 0.1.0 */
export * as WaitlistRankingContract from "./testing/WaitlistRankingContract.ts"
/** @since 0.1.0 */
export * as WaitlistRepoContract from "./testing/WaitlistRepoContract.ts"
/** @since 0.1.0 */
export * as WebhookFixtures from "./testing/WebhookFixtures.ts"
/** @since 0.1.0 */
export * as WebhookRepoContract from "./testing/WebhookRepoContract.ts"
