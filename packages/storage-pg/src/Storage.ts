/**
 * Every port storage-pg implements, over one `SqlClient` (PostgreSQL or PGlite).
 *
 * @since 0.1.0
 */
import type {
  AuditLog,
  Idempotency,
  IdentityRepos,
  InventoryRepos,
  Jobs,
  Ledger,
  Outbox,
  Transactor
} from "@rota/core"
import { Layer } from "effect"
import type { SqlClient } from "effect/sql"
import * as PgAuditLog from "./PgAuditLog.ts"
import * as PgIdempotencyStore from "./PgIdempotencyStore.ts"
import * as PgIdentityRepos from "./PgIdentityRepos.ts"
import * as PgInventoryRepos from "./PgInventoryRepos.ts"
import * as PgJobClaims from "./PgJobClaims.ts"
import * as PgLedger from "./PgLedger.ts"
import * as PgOutbox from "./PgOutbox.ts"
import * as PgTransactor from "./PgTransactor.ts"

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
  | Ledger.Ledger,
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
  PgLedger.layer
)
