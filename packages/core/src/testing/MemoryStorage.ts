/**
 * The memory adapters of the core's ports, merged over one {@link MemoryDatabase}, so a program
 * or a test runs the use cases without a database: writes commit and roll back together, and each
 * adapter passes the contract suite its PostgreSQL adapter passes. They cover the kernel, the
 * ledger, identity (API keys too), inventory (blackouts too), bookings and series, crews,
 * interventions, the waitlist, calendar feeds, intake, webhooks, maintenance plans and the
 * notification inbox, preferences, delivery claims, directory and reminders, the change log and
 * the reports: every storage port of `Rota.StoragePorts`, so `Rota.layer` as a whole runs on this
 * layer (with ids, a password hasher, a token signer and the webhook ports), no database needed.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import type { BookingRepo, FineRepo } from "../bookings/BookingRepos.ts"
import type { SeriesRepo } from "../bookings/SeriesRepo.ts"
import type { CalendarFeedRepo } from "../calendars/CalendarFeedRepo.ts"
import type { ApiKeyRepo } from "../identity/ApiKeyRepo.ts"
import type {
  AccountRepo,
  InvitationRepo,
  MembershipRepo,
  OrgRepo,
  PasswordResetRepo,
  SessionRepo
} from "../identity/IdentityRepos.ts"
import type { IntakeRepo } from "../intake/IntakeRepo.ts"
import type { BlackoutRepo } from "../inventory/BlackoutRepo.ts"
import type { PartRepo, ResourceRepo, SiteRepo, TagRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { ChangeLog } from "../kernel/Change.ts"
import type { IdempotencyStore } from "../kernel/Idempotency.ts"
import type { JobClaims } from "../kernel/Jobs.ts"
import type { Outbox } from "../kernel/Outbox.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Ledger } from "../ledger/Ledger.ts"
import type { MaintenancePlanRepo } from "../maintenance/MaintenanceRepos.ts"
import type {
  DeliveryRepo,
  NotificationDirectory,
  NotificationRepo,
  PreferenceRepo,
  ReminderRepo
} from "../notifications/NotificationRepos.ts"
import type { ReportRepo } from "../reports/ReportRepo.ts"
import type { WebhookRepo } from "../webhooks/WebhookRepo.ts"
import * as MemoryApiKeyRepo from "./MemoryApiKeyRepo.ts"
import * as MemoryAuditLog from "./MemoryAuditLog.ts"
import * as MemoryBlackoutRepo from "./MemoryBlackoutRepo.ts"
import * as MemoryBookingRepos from "./MemoryBookingRepos.ts"
import * as MemoryCalendarFeedRepo from "./MemoryCalendarFeedRepo.ts"
import * as MemoryChangeLog from "./MemoryChangeLog.ts"
import * as MemoryCrewRepos from "./MemoryCrewRepos.ts"
import * as MemoryDatabase from "./MemoryDatabase.ts"
import * as MemoryIdempotencyStore from "./MemoryIdempotencyStore.ts"
import * as MemoryIdentityRepos from "./MemoryIdentityRepos.ts"
import * as MemoryIntakeRepo from "./MemoryIntakeRepo.ts"
import * as MemoryInterventionRepos from "./MemoryInterventionRepos.ts"
import * as MemoryInventoryRepos from "./MemoryInventoryRepos.ts"
import * as MemoryJobClaims from "./MemoryJobClaims.ts"
import * as MemoryLedger from "./MemoryLedger.ts"
import * as MemoryMaintenanceRepos from "./MemoryMaintenanceRepos.ts"
import * as MemoryNotificationDirectory from "./MemoryNotificationDirectory.ts"
import * as MemoryNotificationRepos from "./MemoryNotificationRepos.ts"
import * as MemoryOutbox from "./MemoryOutbox.ts"
import * as MemoryReminderRepo from "./MemoryReminderRepo.ts"
import * as MemoryReportRepo from "./MemoryReportRepo.ts"
import * as MemorySeriesRepo from "./MemorySeriesRepo.ts"
import * as MemoryTransactor from "./MemoryTransactor.ts"
import * as MemoryWaitlistRepo from "./MemoryWaitlistRepo.ts"
import * as MemoryWebhookRepo from "./MemoryWebhookRepo.ts"

/**
 * The write machinery every use case shares.
 *
 * @since 0.1.0
 * @category models
 */
export type Kernel = Transactor | AuditLog | Outbox | IdempotencyStore | JobClaims | Ledger

/**
 * The kernel ports on the database in the context.
 *
 * @since 0.1.0
 * @category layers
 */
export const kernel: Layer.Layer<Kernel, never, MemoryDatabase.MemoryDatabase> = Layer.mergeAll(
  MemoryTransactor.layer,
  MemoryAuditLog.layer,
  MemoryOutbox.layer,
  MemoryIdempotencyStore.layer,
  MemoryJobClaims.layer,
  MemoryLedger.layer
)

/**
 * Every port with a memory adapter.
 *
 * @since 0.1.0
 * @category models
 */
export type Ports =
  | Kernel
  | AccountRepo
  | OrgRepo
  | MembershipRepo
  | SessionRepo
  | InvitationRepo
  | PasswordResetRepo
  | SiteRepo
  | TagRepo
  | ResourceRepo
  | UnitRepo
  | PartRepo
  | BookingRepo
  | FineRepo
  | ApiKeyRepo
  | BlackoutRepo
  | SeriesRepo
  | CalendarFeedRepo
  | IntakeRepo
  | WebhookRepo
  | MaintenancePlanRepo
  | NotificationRepo
  | PreferenceRepo
  | DeliveryRepo
  | NotificationDirectory
  | ReminderRepo
  | ChangeLog
  | ReportRepo
  | Layer.Success<typeof MemoryCrewRepos.layer>
  | Layer.Success<typeof MemoryInterventionRepos.layer>
  | Layer.Success<typeof MemoryWaitlistRepo.layer>

/**
 * Every memory adapter on one fresh, empty database, which it provides too (for tests that
 * look inside it).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Ports | MemoryDatabase.MemoryDatabase> = Layer.mergeAll(
  kernel,
  MemoryIdentityRepos.layer,
  MemoryInventoryRepos.layer,
  MemoryBookingRepos.layer,
  MemoryApiKeyRepo.layer,
  MemoryBlackoutRepo.layer,
  MemorySeriesRepo.layer,
  MemoryCalendarFeedRepo.layer,
  MemoryIntakeRepo.layer,
  MemoryWebhookRepo.layer,
  MemoryMaintenanceRepos.layer,
  MemoryNotificationRepos.layer,
  MemoryNotificationDirectory.layer,
  MemoryReminderRepo.layer,
  MemoryChangeLog.layer,
  MemoryReportRepo.layer,
  MemoryCrewRepos.layer,
  MemoryInterventionRepos.layer,
  MemoryWaitlistRepo.layer
).pipe(Layer.provideMerge(MemoryDatabase.layer))
