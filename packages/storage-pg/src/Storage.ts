/**
 * Every port storage-pg implements, over one `SqlClient` (PostgreSQL or PGlite).
 *
 * @since 0.1.0
 */
import type {
  AuditLog,
  BookingRepos,
  CrewRepos,
  Idempotency,
  IdentityRepos,
  InterventionRepos,
  InventoryRepos,
  Jobs,
  Ledger,
  Outbox,
  Transactor,
  WaitlistRepo
} from "@rota/core"
import { Layer } from "effect"
import type { SqlClient } from "effect/sql"
import * as PgAuditLog from "./PgAuditLog.ts"
import * as PgBookingRepos from "./PgBookingRepos.ts"
import * as PgCrewRepos from "./PgCrewRepos.ts"
import * as PgDocumentStore from "./PgDocumentStore.ts"
import * as PgIdempotencyStore from "./PgIdempotencyStore.ts"
import * as PgIdentityRepos from "./PgIdentityRepos.ts"
import * as PgInterventionRepos from "./PgInterventionRepos.ts"
import * as PgInventoryRepos from "./PgInventoryRepos.ts"
import * as PgJobClaims from "./PgJobClaims.ts"
import * as PgLedger from "./PgLedger.ts"
import * as PgOutbox from "./PgOutbox.ts"
import * as PgTransactor from "./PgTransactor.ts"
import * as PgWaitlistRepo from "./PgWaitlistRepo.ts"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
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
  | InterventionRepos.DocumentStore,
  never,
  SqlClient.SqlClient
> = Layer.mergeAll(
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
  PgDocumentStore.layer
)
