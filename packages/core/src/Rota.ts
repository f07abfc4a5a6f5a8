/**
 * The composition root of the core: given its ports (storage, ids, the password hasher and the
 * token signer), {@link layer} builds every use case, wired to each other the one way they must
 * be (freed time goes to the waitlist, documents belong to interventions, members invite...).
 * The HTTP server and embedding programs both build the domain from it.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import * as AuditTrail from "./AuditTrail.ts"
import type { BookingRepo, FineRepo } from "./bookings/BookingRepos.ts"
import * as BookingSeries from "./bookings/BookingSeries.ts"
import * as Bookings from "./bookings/Bookings.ts"
import * as Fines from "./bookings/Fines.ts"
import * as Schedule from "./bookings/Schedule.ts"
import type { SeriesRepo } from "./bookings/SeriesRepo.ts"
import type { CalendarFeedRepo } from "./calendars/CalendarFeedRepo.ts"
import * as CalendarFeeds from "./calendars/CalendarFeeds.ts"
import type { Assignments } from "./crews/Assignments.ts"
import type { Availabilities } from "./crews/Availabilities.ts"
import type {
  AssignmentRepo,
  AvailabilityRepo,
  MissionRepo,
  ProjectRepo,
  RateProfileRepo
} from "./crews/CrewRepos.ts"
import * as Crews from "./crews/Crews.ts"
import type { Missions } from "./crews/Missions.ts"
import type { Projects } from "./crews/Projects.ts"
import type { RateProfiles } from "./crews/RateProfiles.ts"
import type { ApiKeyRepo } from "./identity/ApiKeyRepo.ts"
import * as ApiKeys from "./identity/ApiKeys.ts"
import * as Auth from "./identity/Auth.ts"
import type {
  AccountRepo,
  InvitationRepo,
  MembershipRepo,
  OrgRepo,
  PasswordResetRepo,
  SessionRepo
} from "./identity/IdentityRepos.ts"
import * as Invitations from "./identity/Invitations.ts"
import * as Members from "./identity/Members.ts"
import * as Orgs from "./identity/Orgs.ts"
import type { PasswordHasher } from "./identity/PasswordHasher.ts"
import type { TokenSigner } from "./identity/TokenSigner.ts"
import * as Intake from "./intake/Intake.ts"
import type { IntakeRepo } from "./intake/IntakeRepo.ts"
import * as Documents from "./interventions/Documents.ts"
import type {
  DocumentRepo,
  DocumentStore,
  InterventionRepo,
  PartUseRepo,
  TimelineRepo
} from "./interventions/InterventionRepos.ts"
import * as Interventions from "./interventions/Interventions.ts"
import type { BlackoutRepo } from "./inventory/BlackoutRepo.ts"
import * as Blackouts from "./inventory/Blackouts.ts"
import * as Inventory from "./inventory/Inventory.ts"
import type { PartRepo, ResourceRepo, SiteRepo, TagRepo, UnitRepo } from "./inventory/InventoryRepos.ts"
import type { Parts } from "./inventory/Parts.ts"
import type { Resources } from "./inventory/Resources.ts"
import type { Sites } from "./inventory/Sites.ts"
import type { Tags } from "./inventory/Tags.ts"
import type { Units } from "./inventory/Units.ts"
import type { AuditLog } from "./kernel/AuditLog.ts"
import type { ChangeLog } from "./kernel/Change.ts"
import * as ChangeFeed from "./kernel/ChangeFeed.ts"
import type { Ids } from "./kernel/Ids.ts"
import type { Outbox } from "./kernel/Outbox.ts"
import type { Transactor } from "./kernel/Transactor.ts"
import type { FreedTime } from "./ledger/FreedTime.ts"
import type { Ledger } from "./ledger/Ledger.ts"
import * as MaintenancePlans from "./maintenance/MaintenancePlans.ts"
import type { MaintenancePlanRepo } from "./maintenance/MaintenanceRepos.ts"
import * as Planning from "./maintenance/Planning.ts"
import * as Inbox from "./notifications/Inbox.ts"
import type { NotificationRepo, PreferenceRepo } from "./notifications/NotificationRepos.ts"
import type { ReportRepo } from "./reports/ReportRepo.ts"
import * as Reports from "./reports/Reports.ts"
import * as Exports from "./transfer/Exports.ts"
import * as Imports from "./transfer/Imports.ts"
import * as Offers from "./waitlist/Offers.ts"
import * as Waitlist from "./waitlist/Waitlist.ts"
import type { WaitlistRepo } from "./waitlist/WaitlistRepo.ts"
import type { WebhookRepo } from "./webhooks/WebhookRepo.ts"
import * as Webhooks from "./webhooks/Webhooks.ts"
import type { WebhookSecrets, WebhookTargets } from "./webhooks/WebhookTransport.ts"

/**
 * The storage ports, which a storage adapter provides: `Storage.layer` of `@rota/storage-pg`,
 * or `MemoryStorage.layer` of `@rota/core/testing` to run without a database.
 *
 * @since 0.1.0
 * @category models
 */
export type StoragePorts =
  | AccountRepo
  | OrgRepo
  | SessionRepo
  | PasswordResetRepo
  | MembershipRepo
  | InvitationRepo
  | Transactor
  | AuditLog
  | Outbox
  | SiteRepo
  | TagRepo
  | ResourceRepo
  | UnitRepo
  | PartRepo
  | ProjectRepo
  | AssignmentRepo
  | RateProfileRepo
  | MissionRepo
  | AvailabilityRepo
  | Ledger
  | WaitlistRepo
  | BookingRepo
  | FineRepo
  | DocumentRepo
  | DocumentStore
  | InterventionRepo
  | TimelineRepo
  | PartUseRepo
  | WebhookRepo
  | NotificationRepo
  | PreferenceRepo
  | MaintenancePlanRepo
  | IntakeRepo
  | SeriesRepo
  | BlackoutRepo
  | CalendarFeedRepo
  | ReportRepo
  | ApiKeyRepo
  | ChangeLog

/**
 * Everything {@link layer} needs: the storage ports, the id generator, and the adapters the core
 * leaves to its host (password hashing, token signing, and for webhooks sealed secrets and
 * address checks). `IdentityConfig` and the clock
 * have defaults.
 *
 * @since 0.1.0
 * @category models
 */
export type Ports = StoragePorts | Ids | PasswordHasher | TokenSigner | WebhookSecrets | WebhookTargets

/**
 * Every use case {@link layer} provides.
 *
 * @since 0.1.0
 * @category models
 */
export type UseCases =
  | Auth.Auth
  | Orgs.Orgs
  | Members.Members
  | Invitations.Invitations
  | AuditTrail.AuditTrail
  | Sites
  | Tags
  | Resources
  | Units
  | Parts
  | Offers.Offers
  | FreedTime
  | Projects
  | Missions
  | Assignments
  | Availabilities
  | RateProfiles
  | Waitlist.Waitlist
  | Bookings.Bookings
  | Fines.Fines
  | Schedule.Schedule
  | Documents.Documents
  | Interventions.Interventions
  | MaintenancePlans.MaintenancePlans
  | Planning.Planning
  | Webhooks.Webhooks
  | Inbox.Inbox
  | Intake.Intake
  | BookingSeries.BookingSeries
  | Blackouts.Blackouts
  | CalendarFeeds.CalendarFeeds
  | Reports.Reports
  | ApiKeys.ApiKeys
  | ChangeFeed.ChangeFeed
  | Exports.Exports
  | Imports.Imports

/**
 * Every use case of the core, on the given ports.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<UseCases, never, Ports> = Layer.mergeAll(
  Auth.layer,
  AuditTrail.layer,
  // Imports create each record through its kind's own use case (clients are invited).
  Layer.mergeAll(Imports.layer, Exports.layer).pipe(
    Layer.provideMerge(Layer.mergeAll(Inventory.layer, Members.layer, Bookings.layer))
  ),
  Crews.layer,
  Layer.mergeAll(Waitlist.layer, BookingSeries.layer).pipe(Layer.provideMerge(Bookings.layer)),
  Fines.layer,
  Schedule.layer,
  Documents.layer.pipe(
    Layer.provideMerge(Intake.layer),
    Layer.provideMerge(Planning.layer),
    Layer.provideMerge(MaintenancePlans.layer),
    Layer.provideMerge(Interventions.layer)
  ),
  Webhooks.layer,
  Inbox.layer,
  Blackouts.layer,
  CalendarFeeds.layer,
  Reports.layer,
  ApiKeys.layer,
  ChangeFeed.layer
).pipe(
  // Freed time goes to the waitlist, from bookings, the waitlist itself and inventory.
  Layer.provideMerge(Offers.layer),
  Layer.provideMerge(Layer.mergeAll(Orgs.layer, Invitations.layer))
)
