/**
 * `@rota/core`: Rota's domain as an embeddable Effect library.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as AuditTrail from "./AuditTrail.ts"
/** @since 0.1.0 */
export * as Booking from "./bookings/Booking.ts"
/** @since 0.1.0 */
export * as BookingErrors from "./bookings/BookingErrors.ts"
/** @since 0.1.0 */
export * as BookingLifecycle from "./bookings/BookingLifecycle.ts"
/** @since 0.1.0 */
export * as BookingRepos from "./bookings/BookingRepos.ts"
/** @since 0.1.0 */
export * as BookingSeries from "./bookings/BookingSeries.ts"
/** @since 0.1.0 */
export * as Bookings from "./bookings/Bookings.ts"
/** @since 0.1.0 */
export * as Fine from "./bookings/Fine.ts"
/** @since 0.1.0 */
export * as Fines from "./bookings/Fines.ts"
/** @since 0.1.0 */
export * as Lateness from "./bookings/Lateness.ts"
/** @since 0.1.0 */
export * as Schedule from "./bookings/Schedule.ts"
/** @since 0.1.0 */
export * as Series from "./bookings/Series.ts"
/** @since 0.1.0 */
export * as SeriesRepo from "./bookings/SeriesRepo.ts"
/** @since 0.1.0 */
export * as SeriesRule from "./bookings/SeriesRule.ts"
export * as CalendarFeed from "./calendars/CalendarFeed.ts"
/** @since 0.1.0 */
export * as CalendarFeedRepo from "./calendars/CalendarFeedRepo.ts"
/** @since 0.1.0 */
export * as CalendarFeeds from "./calendars/CalendarFeeds.ts"
/** @since 0.1.0 */
export * as Assignment from "./crews/Assignment.ts"
/** @since 0.1.0 */
export * as Assignments from "./crews/Assignments.ts"
/** @since 0.1.0 */
export * as Availabilities from "./crews/Availabilities.ts"
/** @since 0.1.0 */
export * as Availability from "./crews/Availability.ts"
/** @since 0.1.0 */
export * as CrewRepos from "./crews/CrewRepos.ts"
/** @since 0.1.0 */
export * as Crews from "./crews/Crews.ts"
/** @since 0.1.0 */
export * as CrewTime from "./crews/CrewTime.ts"
/** @since 0.1.0 */
export * as Mission from "./crews/Mission.ts"
/** @since 0.1.0 */
export * as Missions from "./crews/Missions.ts"
/** @since 0.1.0 */
export * as Project from "./crews/Project.ts"
/** @since 0.1.0 */
export * as Projects from "./crews/Projects.ts"
/** @since 0.1.0 */
export * as RateProfile from "./crews/RateProfile.ts"
/** @since 0.1.0 */
export * as RateProfiles from "./crews/RateProfiles.ts"
/** @since 0.1.0 */
export * as Account from "./identity/Account.ts"
/** @since 0.1.0 */
export * as ApiKey from "./identity/ApiKey.ts"
/** @since 0.1.0 */
export * as ApiKeyRepo from "./identity/ApiKeyRepo.ts"
/** @since 0.1.0 */
export * as ApiKeys from "./identity/ApiKeys.ts"
/** @since 0.1.0 */
export * as Auth from "./identity/Auth.ts"
/** @since 0.1.0 */
export * as ClientPhones from "./identity/ClientPhones.ts"
/** @since 0.1.0 */
export * as IdentityConfig from "./identity/IdentityConfig.ts"
/** @since 0.1.0 */
export * as IdentityErrors from "./identity/IdentityErrors.ts"
/** @since 0.1.0 */
export * as IdentityRepos from "./identity/IdentityRepos.ts"
/** @since 0.1.0 */
export * as Invitations from "./identity/Invitations.ts"
/** @since 0.1.0 */
export * as Members from "./identity/Members.ts"
/** @since 0.1.0 */
export * as Membership from "./identity/Membership.ts"
/** @since 0.1.0 */
export * as Organization from "./identity/Organization.ts"
/** @since 0.1.0 */
export * as OrgSettings from "./identity/OrgSettings.ts"
/** @since 0.1.0 */
export * as Orgs from "./identity/Orgs.ts"
/** @since 0.1.0 */
export * as PasswordHasher from "./identity/PasswordHasher.ts"
/** @since 0.1.0 */
export * as PasswordPolicy from "./identity/PasswordPolicy.ts"
/** @since 0.1.0 */
export * as TokenSigner from "./identity/TokenSigner.ts"
/** @since 0.1.0 */
export * as Intake from "./intake/Intake.ts"
/** @since 0.1.0 */
export * as IntakeErrors from "./intake/IntakeErrors.ts"
/** @since 0.1.0 */
export * as IntakeRepo from "./intake/IntakeRepo.ts"
/** @since 0.1.0 */
export * as IntakeRules from "./intake/IntakeRules.ts"
/** @since 0.1.0 */
export * as WorkRequest from "./intake/WorkRequest.ts"
/** @since 0.1.0 */
export * as Document from "./interventions/Document.ts"
/** @since 0.1.0 */
export * as Documents from "./interventions/Documents.ts"
/** @since 0.1.0 */
export * as Intervention from "./interventions/Intervention.ts"
/** @since 0.1.0 */
export * as InterventionRepos from "./interventions/InterventionRepos.ts"
/** @since 0.1.0 */
export * as InterventionRules from "./interventions/InterventionRules.ts"
/** @since 0.1.0 */
export * as Interventions from "./interventions/Interventions.ts"
/** @since 0.1.0 */
export * as Leaderboard from "./interventions/Leaderboard.ts"
/** @since 0.1.0 */
export * as PartUse from "./interventions/PartUse.ts"
/** @since 0.1.0 */
export * as TimelineEvent from "./interventions/TimelineEvent.ts"
/** @since 0.1.0 */
export * as Blackout from "./inventory/Blackout.ts"
/** @since 0.1.0 */
export * as BlackoutRepo from "./inventory/BlackoutRepo.ts"
/** @since 0.1.0 */
export * as Blackouts from "./inventory/Blackouts.ts"
/** @since 0.1.0 */
export * as Inventory from "./inventory/Inventory.ts"
/** @since 0.1.0 */
export * as InventoryRepos from "./inventory/InventoryRepos.ts"
/** @since 0.1.0 */
export * as InventoryNames from "./inventory/Names.ts"
/** @since 0.1.0 */
export * as Part from "./inventory/Part.ts"
/** @since 0.1.0 */
export * as Parts from "./inventory/Parts.ts"
/** @since 0.1.0 */
export * as Resource from "./inventory/Resource.ts"
/** @since 0.1.0 */
export * as Resources from "./inventory/Resources.ts"
/** @since 0.1.0 */
export * as ResourceUnit from "./inventory/ResourceUnit.ts"
/** @since 0.1.0 */
export * as Site from "./inventory/Site.ts"
/** @since 0.1.0 */
export * as Sites from "./inventory/Sites.ts"
/** @since 0.1.0 */
export * as Tag from "./inventory/Tag.ts"
/** @since 0.1.0 */
export * as Tags from "./inventory/Tags.ts"
/** @since 0.1.0 */
export * as Units from "./inventory/Units.ts"
/** @since 0.1.0 */
export * as Audit from "./kernel/Audit.ts"
/** @since 0.1.0 */
export * as AuditLog from "./kernel/AuditLog.ts"
/** @since 0.1.0 */
export * as Calendar from "./kernel/Calendar.ts"
/** @since 0.1.0 */
export * as Catalog from "./kernel/Catalog.ts"
/** @since 0.1.0 */
export * as Change from "./kernel/Change.ts"
/** @since 0.1.0 */
export * as ChangeFeed from "./kernel/ChangeFeed.ts"
/** @since 0.1.0 */
export * as Errors from "./kernel/Errors.ts"
/** @since 0.1.0 */
export * as Idempotency from "./kernel/Idempotency.ts"
/** @since 0.1.0 */
export * as Ids from "./kernel/Ids.ts"
/** @since 0.1.0 */
export * as Jobs from "./kernel/Jobs.ts"
/** @since 0.1.0 */
export * as Mail from "./kernel/Mail.ts"
/** @since 0.1.0 */
export * as Money from "./kernel/Money.ts"
/** @since 0.1.0 */
export * as Outbox from "./kernel/Outbox.ts"
/** @since 0.1.0 */
export * as Pagination from "./kernel/Pagination.ts"
/** @since 0.1.0 */
export * as Permissions from "./kernel/Permissions.ts"
/** @since 0.1.0 */
export * as Records from "./kernel/Records.ts"
/** @since 0.1.0 */
export * as RequestContext from "./kernel/RequestContext.ts"
/** @since 0.1.0 */
export * as Role from "./kernel/Role.ts"
/** @since 0.1.0 */
export * as Timestamp from "./kernel/Timestamp.ts"
/** @since 0.1.0 */
export * as Transactor from "./kernel/Transactor.ts"
/** @since 0.1.0 */
export * as Versioning from "./kernel/Versioning.ts"
/** @since 0.1.0 */
export * as FreedTime from "./ledger/FreedTime.ts"
/** @since 0.1.0 */
export * as Interval from "./ledger/Interval.ts"
/** @since 0.1.0 */
export * as Ledger from "./ledger/Ledger.ts"
/** @since 0.1.0 */
export * as MaintenancePlan from "./maintenance/MaintenancePlan.ts"
/** @since 0.1.0 */
export * as MaintenancePlans from "./maintenance/MaintenancePlans.ts"
/** @since 0.1.0 */
export * as MaintenanceRepos from "./maintenance/MaintenanceRepos.ts"
/** @since 0.1.0 */
export * as Planning from "./maintenance/Planning.ts"
/** @since 0.1.0 */
export * as PlanningView from "./maintenance/PlanningView.ts"
/** @since 0.1.0 */
export * as Recurrence from "./maintenance/Recurrence.ts"
/** @since 0.1.0 */
export * as Inbox from "./notifications/Inbox.ts"
/** @since 0.1.0 */
export * as Notification from "./notifications/Notification.ts"
/** @since 0.1.0 */
export * as NotificationDispatch from "./notifications/NotificationDispatch.ts"
/** @since 0.1.0 */
export * as NotificationEvents from "./notifications/NotificationEvents.ts"
/** @since 0.1.0 */
export * as NotificationPreferences from "./notifications/NotificationPreferences.ts"
/** @since 0.1.0 */
export * as NotificationRepos from "./notifications/NotificationRepos.ts"
/** @since 0.1.0 */
export * as NotificationTemplates from "./notifications/NotificationTemplates.ts"
/** @since 0.1.0 */
export * as Reminders from "./notifications/Reminders.ts"
/** @since 0.1.0 */
export * as SecretLinks from "./notifications/SecretLinks.ts"
/** @since 0.1.0 */
export * as Rota from "./Rota.ts"
/** @since 0.1.0 */
export * as ReportColumns from "./reports/ReportColumns.ts"
/** @since 0.1.0 */
export * as ReportCsv from "./reports/ReportCsv.ts"
/** @since 0.1.0 */
export * as ReportMath from "./reports/ReportMath.ts"
/** @since 0.1.0 */
export * as ReportRepo from "./reports/ReportRepo.ts"
/** @since 0.1.0 */
export * as ReportRows from "./reports/ReportRows.ts"
/** @since 0.1.0 */
export * as Reports from "./reports/Reports.ts"
/** @since 0.1.0 */
export * as ReportWindow from "./reports/ReportWindow.ts"
/** @since 0.1.0 */
export * as BookingRows from "./transfer/BookingRows.ts"
/** @since 0.1.0 */
export * as ClientRows from "./transfer/ClientRows.ts"
/** @since 0.1.0 */
export * as TransferColumns from "./transfer/Columns.ts"
/** @since 0.1.0 */
export * as Csv from "./transfer/Csv.ts"
/** @since 0.1.0 */
export * as Exports from "./transfer/Exports.ts"
/** @since 0.1.0 */
export * as Imports from "./transfer/Imports.ts"
/** @since 0.1.0 */
export * as TransferRows from "./transfer/Rows.ts"
/** @since 0.1.0 */
export * as TransferTables from "./transfer/Tables.ts"
/** @since 0.1.0 */
export * as TransferErrors from "./transfer/TransferErrors.ts"
/** @since 0.1.0 */
export * as UniqueChecks from "./transfer/UniqueChecks.ts"
/** @since 0.1.0 */
export * as Offers from "./waitlist/Offers.ts"
/** @since 0.1.0 */
export * as Priority from "./waitlist/Priority.ts"
/** @since 0.1.0 */
export * as Rankings from "./waitlist/Rankings.ts"
/** @since 0.1.0 */
export * as Waitlist from "./waitlist/Waitlist.ts"
/** @since 0.1.0 */
export * as WaitlistEntry from "./waitlist/WaitlistEntry.ts"
/** @since 0.1.0 */
export * as WaitlistLifecycle from "./waitlist/WaitlistLifecycle.ts"
/** @since 0.1.0 */
export * as WaitlistRepo from "./waitlist/WaitlistRepo.ts"
/** @since 0.1.0 */
export * as Webhook from "./webhooks/Webhook.ts"
/** @since 0.1.0 */
export * as WebhookDelivery from "./webhooks/WebhookDelivery.ts"
/** @since 0.1.0 */
export * as WebhookRepo from "./webhooks/WebhookRepo.ts"
/** @since 0.1.0 */
export * as Webhooks from "./webhooks/Webhooks.ts"
/** @since 0.1.0 */
export * as WebhookTransport from "./webhooks/WebhookTransport.ts"
