/**
 * Identity and tenancy on PostgreSQL: accounts, organisations, memberships, sessions with their
 * refresh tokens, invitations and password resets, one adapter per port (`PgAccountRepo`, ...),
 * merged here. Every one-use token is spent by one guarded `UPDATE`, so two concurrent uses of one
 * token can never both succeed.
 *
 * @since 0.1.0
 */
import type { IdentityRepos } from "@rota/core"
import { Layer } from "effect"
import type { SqlClient } from "effect/sql"
import { accountRepo } from "./PgAccountRepo.ts"
import { invitationRepo } from "./PgInvitationRepo.ts"
import { membershipRepo } from "./PgMembershipRepo.ts"
import { orgRepo } from "./PgOrgRepo.ts"
import { passwordResetRepo } from "./PgPasswordResetRepo.ts"
import { sessionRepo } from "./PgSessionRepo.ts"
import * as SessionCache from "./SessionCache.ts"

export {
  /** @since 0.1.0 */
  accountRepo,
  /** @since 0.1.0 */
  invitationRepo,
  /** @since 0.1.0 */
  membershipRepo,
  /** @since 0.1.0 */
  orgRepo,
  /** @since 0.1.0 */
  passwordResetRepo,
  /** @since 0.1.0 */
  sessionRepo
}

/**
 * Every identity port over one `SqlClient`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  | IdentityRepos.AccountRepo
  | IdentityRepos.OrgRepo
  | IdentityRepos.MembershipRepo
  | IdentityRepos.SessionRepo
  | IdentityRepos.InvitationRepo
  | IdentityRepos.PasswordResetRepo,
  never,
  SqlClient.SqlClient
> = Layer.mergeAll(
  accountRepo,
  orgRepo,
  membershipRepo,
  SessionCache.layer.pipe(Layer.provide(sessionRepo)),
  invitationRepo,
  passwordResetRepo
)
