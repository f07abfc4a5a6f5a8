/**
 * The identity tables of the {@link MemoryDatabase}, shared by the memory identity adapters the
 * way the PostgreSQL ones share tables: an org lists its members by reading memberships, a
 * session resolves its role by reading accounts, memberships and organizations.
 *
 * @since 0.1.0
 */
import type { DateTime, Option } from "effect"
import { Option as O } from "effect"
import type { Account } from "../identity/Account.ts"
import type { InvitationRecord } from "../identity/IdentityRepos.ts"
import { type EmploymentType, Member } from "../identity/Membership.ts"
import type { Organization } from "../identity/Organization.ts"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import type { Role } from "../kernel/Role.ts"
import { rows } from "./MemoryDatabase.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface AccountRow {
  readonly account: Account
  readonly passwordHash: string | null
}

/**
 * A membership as stored: removed ones stay, with `deletedAt`, until the account joins again.
 *
 * @since 0.1.0
 * @category models
 */
export interface MembershipRow {
  readonly orgId: OrgId
  readonly accountId: AccountId
  readonly role: Role
  readonly skills: ReadonlyArray<string>
  readonly tags: ReadonlyArray<string>
  readonly employmentType: EmploymentType | null
  readonly isActive: boolean
  readonly version: number
  readonly createdAt: DateTime.Utc
  readonly deletedAt: DateTime.Utc | null
}

/**
 * @since 0.1.0
 * @category models
 */
export interface SessionRow {
  readonly id: string
  readonly accountId: AccountId
  readonly createdAt: DateTime.Utc
  readonly revokedAt: DateTime.Utc | null
}

/**
 * @since 0.1.0
 * @category models
 */
export interface RefreshRow {
  readonly hash: string
  readonly sessionId: string
  readonly accountId: AccountId
  readonly expiresAt: DateTime.Utc
  readonly usedAt: DateTime.Utc | null
  readonly successorHash: string | null
}

/**
 * @since 0.1.0
 * @category models
 */
export interface ResetRow {
  readonly id: string
  readonly accountId: AccountId
  readonly expiresAt: DateTime.Utc
  readonly usedAt: DateTime.Utc | null
}

/** @since 0.1.0 @category tables */
export const accounts = rows<AccountRow>("accounts")
/** @since 0.1.0 @category tables */
export const organizations = rows<Organization>("organizations")
/** Keyed by {@link membershipKey}. @since 0.1.0 @category tables */
export const memberships = rows<MembershipRow>("memberships")
/** @since 0.1.0 @category tables */
export const sessions = rows<SessionRow>("auth_sessions")
/** @since 0.1.0 @category tables */
export const refreshTokens = rows<RefreshRow>("refresh_tokens")
/** @since 0.1.0 @category tables */
export const invitations = rows<InvitationRecord & { readonly invitedBy: AccountId }>("invitations")
/** @since 0.1.0 @category tables */
export const passwordResets = rows<ResetRow>("password_resets")

/**
 * @since 0.1.0
 * @category keys
 */
export const membershipKey = (orgId: string, accountId: string): string => `${orgId}/${accountId}`

/**
 * A membership with its account, as `Member`: active only when both are.
 *
 * @since 0.1.0
 * @category members
 */
export const memberOf = (
  row: MembershipRow,
  accountRows: ReadonlyMap<string, AccountRow>
): Option.Option<Member> => {
  const account = accountRows.get(row.accountId)?.account
  if (account === undefined) return O.none()
  return O.some(
    new Member({
      accountId: row.accountId,
      orgId: row.orgId,
      role: row.role,
      email: account.email,
      username: account.username,
      fullName: account.fullName,
      phone: account.phone,
      skills: row.skills,
      tags: row.tags,
      employmentType: row.employmentType,
      isActive: row.isActive && account.isActive,
      version: row.version,
      createdAt: row.createdAt
    })
  )
}
