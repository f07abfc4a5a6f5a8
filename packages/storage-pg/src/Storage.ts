/**
 * Every port storage-pg implements, over one `SqlClient` (PostgreSQL or PGlite).
 *
 * @since 0.1.0
 */
import type {
  ApiKeyRepo,
  AuditLog,
  BlackoutRepo,
  BookingRepos,
  CalendarFeedRepo,
  Change,
  CrewRepos,
  Idempotency,
  IdentityRepos,
  IntakeRepo,
  InterventionRepos,
  InventoryRepos,
  Jobs,
  Ledger,
  MaintenanceRepos,
  NotificationRepos,
  Outbox,
  ReportRepo,
  SeriesRepo,
  Transactor,
  WaitlistRepo,
  WebhookRepo
} from "@rota/core"
import { Layer } from "effect"
import type { SqlClient } from "effect/sql"
import * as PgApiKeyRepo from "./PgApiKeyRepo.ts"
import * as PgAuditLog from "./PgAuditLog.ts"
import * as PgBlackoutRepo from "./PgBlackoutRepo.ts"
import * as PgBookingRepos from "./PgBookingRepos.ts"
import * as PgCalendarFeedRepo from "./PgCalendarFeedRepo.ts"
import * as PgChangeLog from "./PgChangeLog.ts"
import * as PgCrewRepos from "./PgCrewRepos.ts"
import * as PgDocumentStore from "./PgDocumentStore.ts"
import * as PgIdempotencyStore from "./PgIdempotencyStore.ts"
import * as PgIdentityRepos from "./PgIdentityRepos.ts"
import * as PgIntakeRepo from "./PgIntakeRepo.ts"
import * as PgInterventionRepos from "./PgInterventionRepos.ts"
import * as PgInventoryRepos from "./PgInventoryRepos.ts"
import * as PgJobClaims from "./PgJobClaims.ts"
import * as PgLedger from "./PgLedger.ts"
import * as PgMaintenanceRepos from "./PgMaintenanceRepos.ts"
import * as PgNotificationRepos from "./PgNotificationRepos.ts"
import * as PgOutbox from "./PgOutbox.ts"
import * as PgReportRepo from "./PgReportRepo.ts"
import * as PgSeriesRepo from "./PgSeriesRepo.ts"
import * as PgTransactor from "./PgTransactor.ts"
import * as PgWaitlistRepo from "./PgWaitlistRepo.ts"
import * as PgWebhookRepo from "./PgWebhookRepo.ts"

/**
 * Every port {@link layer} provides: the core's storage ports and the ones its jobs and the
 * HTTP edge use (idempotency records, job claims, notification deliveries and reminders).
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | Transactor.Transactor
  | AuditLog.AuditLog
  | Outbox.Outbox
  | Idempotency.IdempotencyStore
  | Jobs.JobClaims
  | IdentityRepos.AccountRepo
  | IdentityRepos.OrgRepo
  | IdentityRepos.MembershipRepo
  | IdentityRepos.SessionRepo
  | IdentityRepos.InvitationRepo
  | IdentityRepos.PasswordResetRepo
  | InventoryRepos.SiteRepo
  | InventoryRepos.TagRepo
  | InventoryRepos.ResourceRepo
  | InventoryRepos.UnitRepo
  | InventoryRepos.PartRepo
  | Ledger.Ledger
  | BookingRepos.BookingRepo
  | BookingRepos.FineRepo
  | WaitlistRepo.WaitlistRepo
  | CrewRepos.ProjectRepo
  | CrewRepos.MissionRepo
  | CrewRepos.AssignmentRepo
  | CrewRepos.AvailabilityRepo
  | CrewRepos.RateProfileRepo
  | InterventionRepos.InterventionRepo
  | InterventionRepos.TimelineRepo
  | InterventionRepos.PartUseRepo
  | InterventionRepos.DocumentRepo
  | InterventionRepos.DocumentStore
  | WebhookRepo.WebhookRepo
  | NotificationRepos.NotificationRepo
  | NotificationRepos.PreferenceRepo
  | NotificationRepos.DeliveryRepo
  | NotificationRepos.NotificationDirectory
  | NotificationRepos.ReminderRepo
  | MaintenanceRepos.MaintenancePlanRepo
  | IntakeRepo.IntakeRepo
  | SeriesRepo.SeriesRepo
  | BlackoutRepo.BlackoutRepo
  | CalendarFeedRepo.CalendarFeedRepo
  | ReportRepo.ReportRepo
  | ApiKeyRepo.ApiKeyRepo
  | Change.ChangeLog

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Services, never, SqlClient.SqlClient> = Layer.mergeAll(
  PgTransactor.layer,
  PgAuditLog.layer,
  PgOutbox.layer,
  PgIdempotencyStore.layer,
  PgJobClaims.layer,
  PgIdentityRepos.layer,
  PgInventoryRepos.layer,
  PgLedger.layer,
  PgBookingRepos.layer,
  PgWaitlistRepo.layer,
  PgCrewRepos.layer,
  PgInterventionRepos.layer,
  PgDocumentStore.layer,
  PgWebhookRepo.layer,
  PgNotificationRepos.layer,
  PgMaintenanceRepos.layer,
  PgIntakeRepo.layer,
  PgSeriesRepo.layer,
  PgBlackoutRepo.layer,
  PgCalendarFeedRepo.layer,
  PgReportRepo.layer,
  PgApiKeyRepo.layer,
  PgChangeLog.layer
)
