/**
 * The storage ports of identity and tenancy. Every method that takes an `orgId` touches that
 * org's rows only.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect, type Option, Schema } from "effect"
import type { AlreadyExists, NotFound, PreconditionFailed, ValidationFailed } from "../kernel/Errors.ts"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import type { Page } from "../kernel/Pagination.ts"
import type { Role } from "../kernel/Role.ts"
import type { Account } from "./Account.ts"
import { EmploymentType, type Member } from "./Membership.ts"
import type { Organization, Settings } from "./Organization.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class AccountRepo extends Context.Service<
  AccountRepo,
  {
    /** By email or username, compared case-insensitively. */
    readonly findByLogin: (
      login: string
    ) => Effect.Effect<Option.Option<{ readonly account: Account; readonly passwordHash: string | null }>>
    readonly findById: (id: AccountId) => Effect.Effect<Option.Option<Account>>
    readonly findByEmail: (email: string) => Effect.Effect<Option.Option<Account>>
    /** Fails when the email or the username is taken (case-insensitively). */
    readonly insert: (account: Account, passwordHash: string | null) => Effect.Effect<void, AlreadyExists>
    readonly setPassword: (id: AccountId, passwordHash: string) => Effect.Effect<void>
    readonly updateProfile: (
      id: AccountId,
      changes: { readonly fullName?: string | undefined; readonly phone?: string | null | undefined }
    ) => Effect.Effect<void>
  }
>()("@rota/core/identity/AccountRepo") {}

/**
 * @since 0.1.0
 * @category services
 */
export class OrgRepo extends Context.Service<
  OrgRepo,
  {
    /** Fails when the slug is taken. */
    readonly insert: (org: Organization) => Effect.Effect<void, AlreadyExists>
    readonly findById: (id: OrgId) => Effect.Effect<Option.Option<Organization>>
    readonly listForAccount: (
      accountId: AccountId
    ) => Effect.Effect<ReadonlyArray<{ readonly org: Organization; readonly role: Role }>>
    readonly update: (
      id: OrgId,
      expectedVersion: number | undefined,
      changes: {
        readonly name?: string | undefined
        readonly timezone?: string | undefined
        readonly settings?: Settings | undefined
      }
    ) => Effect.Effect<Organization, NotFound | PreconditionFailed>
  }
>()("@rota/core/identity/OrgRepo") {}

/**
 * Filters of the member listing.
 *
 * @since 0.1.0
 * @category models
 */
export interface MemberQuery {
  readonly limit: number
  readonly cursor?: string | undefined
  readonly roles?: ReadonlyArray<Role> | undefined
  /** Case-insensitive search in full name, email and username. */
  readonly q?: string | undefined
  readonly skill?: string | undefined
  readonly tag?: string | undefined
}

/**
 * @since 0.1.0
 * @category services
 */
export class MembershipRepo extends Context.Service<
  MembershipRepo,
  {
    /** Fails when the account already is (or was) a member; a removed member is re-activated instead. */
    readonly insert: (membership: {
      readonly orgId: OrgId
      readonly accountId: AccountId
      readonly role: Role
      readonly skills: ReadonlyArray<string>
      readonly tags: ReadonlyArray<string>
      readonly employmentType?: EmploymentType | null | undefined
      readonly at: DateTime.Utc
    }) => Effect.Effect<Member, AlreadyExists>
    /** An active member of the org. */
    readonly find: (orgId: OrgId, accountId: AccountId) => Effect.Effect<Option.Option<Member>>
    /** A membership that is not removed, deactivated ones included. */
    readonly findInactiveToo: (orgId: OrgId, accountId: AccountId) => Effect.Effect<Option.Option<Member>>
    /** Suspends or restores a membership (compare-and-set on its version). */
    readonly setActive: (
      orgId: OrgId,
      accountId: AccountId,
      expectedVersion: number | undefined,
      isActive: boolean
    ) => Effect.Effect<Member, NotFound | PreconditionFailed>
    /** A cursor it cannot read is `ValidationFailed`. */
    readonly list: (orgId: OrgId, query: MemberQuery) => Effect.Effect<Page<Member>, ValidationFailed>
    readonly update: (
      orgId: OrgId,
      accountId: AccountId,
      expectedVersion: number | undefined,
      changes: {
        readonly role?: Role | undefined
        readonly skills?: ReadonlyArray<string> | undefined
        readonly tags?: ReadonlyArray<string> | undefined
        readonly employmentType?: EmploymentType | null | undefined
      }
    ) => Effect.Effect<Member, NotFound | PreconditionFailed>
    /** Ends a membership (the account stays). */
    readonly remove: (
      orgId: OrgId,
      accountId: AccountId,
      expectedVersion: number | undefined,
      at: DateTime.Utc
    ) => Effect.Effect<Member, NotFound | PreconditionFailed>
    /** Locks the org's owner memberships until the transaction ends and answers their accounts. */
    readonly lockOwners: (orgId: OrgId) => Effect.Effect<ReadonlyArray<AccountId>>
    /**
     * Holds the (normalised) phone in the org until the transaction ends, so two writes giving
     * it to two clients queue, and answers the live clients of the org whose phone it is.
     */
    readonly lockClientPhone: (
      orgId: OrgId,
      normalizedPhone: string
    ) => Effect.Effect<ReadonlyArray<AccountId>>
  }
>()("@rota/core/identity/MembershipRepo") {}

/**
 * What the authentication of one request needs, in one lookup.
 *
 * @since 0.1.0
 * @category models
 */
export interface SessionState {
  readonly accountId: AccountId
  /** The account's active role in the org asked about; `null` when it is not an active member. */
  readonly role: Role | null
  /** That org's settings, read with the role; `null` when the account is not an active member. */
  readonly orgSettings: Settings | null
}

/**
 * A refresh token as stored (by hash).
 *
 * @since 0.1.0
 * @category models
 */
export interface RefreshRecord {
  readonly sessionId: string
  readonly accountId: AccountId
  readonly expiresAt: DateTime.Utc
  readonly usedAt: DateTime.Utc | null
  /** The hash of the token that replaced it, once rotated. */
  readonly successorHash: string | null
  readonly sessionRevoked: boolean
}

/**
 * @since 0.1.0
 * @category services
 */
export class SessionRepo extends Context.Service<
  SessionRepo,
  {
    readonly create: (session: {
      readonly id: string
      readonly accountId: AccountId
      readonly at: DateTime.Utc
    }) => Effect.Effect<void>
    readonly addRefresh: (refresh: {
      readonly hash: string
      readonly sessionId: string
      readonly accountId: AccountId
      readonly expiresAt: DateTime.Utc
    }) => Effect.Effect<void>
    readonly findRefresh: (hash: string) => Effect.Effect<Option.Option<RefreshRecord>>
    /**
     * The same, locking the token's row until the transaction ends: concurrent uses of one token
     * run one after the other, each seeing what the one before it did.
     */
    readonly lockRefresh: (hash: string) => Effect.Effect<Option.Option<RefreshRecord>>
    /**
     * Marks a refresh token used (replaced by `successorHash`); false when it already was (a
     * reuse, or a lost race).
     */
    readonly useRefresh: (hash: string, at: DateTime.Utc, successorHash?: string) => Effect.Effect<boolean>
    readonly revoke: (sessionId: string, at: DateTime.Utc) => Effect.Effect<void>
    readonly revokeAll: (
      accountId: AccountId,
      at: DateTime.Utc,
      except?: string | undefined
    ) => Effect.Effect<void>
    /** A live session of an active account, with its role in `orgId` when one is given. */
    readonly resolve: (
      sessionId: string,
      orgId: OrgId | undefined
    ) => Effect.Effect<Option.Option<SessionState>>
  }
>()("@rota/core/identity/SessionRepo") {}

/**
 * What the inviting org typed about the person. Skills and tags become the membership's (they
 * are the org's own); name, username and phone only seed an account that does not exist yet, and
 * never change an existing one.
 *
 * @since 0.1.0
 * @category schemas
 */
export const InvitationProfile = Schema.Struct({
  fullName: Schema.optionalKey(Schema.String),
  username: Schema.optionalKey(Schema.String),
  phone: Schema.optionalKey(Schema.String),
  skills: Schema.optionalKey(Schema.Array(Schema.String)),
  tags: Schema.optionalKey(Schema.Array(Schema.String)),
  employmentType: Schema.optionalKey(EmploymentType)
})

/**
 * @since 0.1.0
 * @category models
 */
export type InvitationProfile = typeof InvitationProfile.Type

/**
 * @since 0.1.0
 * @category models
 */
export interface InvitationRecord {
  readonly id: string
  readonly orgId: OrgId
  readonly email: string
  readonly role: Role
  readonly profile: InvitationProfile
  readonly expiresAt: DateTime.Utc
  readonly acceptedAt: DateTime.Utc | null
  readonly revokedAt: DateTime.Utc | null
  readonly createdAt: DateTime.Utc
}

/**
 * @since 0.1.0
 * @category services
 */
export class InvitationRepo extends Context.Service<
  InvitationRepo,
  {
    readonly insert: (invitation: InvitationRecord & { readonly invitedBy: AccountId }) => Effect.Effect<void>
    readonly list: (orgId: OrgId) => Effect.Effect<ReadonlyArray<InvitationRecord>>
    readonly find: (id: string) => Effect.Effect<Option.Option<InvitationRecord>>
    /** Marks it accepted if it was still open; false otherwise. */
    readonly accept: (id: string, at: DateTime.Utc) => Effect.Effect<boolean>
    readonly revoke: (orgId: OrgId, id: string, at: DateTime.Utc) => Effect.Effect<boolean>
  }
>()("@rota/core/identity/InvitationRepo") {}

/**
 * @since 0.1.0
 * @category services
 */
export class PasswordResetRepo extends Context.Service<
  PasswordResetRepo,
  {
    readonly insert: (reset: {
      readonly id: string
      readonly accountId: AccountId
      readonly expiresAt: DateTime.Utc
    }) => Effect.Effect<void>
    /** Marks it used if it was unused and unexpired; answers its account then. */
    readonly use: (id: string, at: DateTime.Utc) => Effect.Effect<Option.Option<AccountId>>
    /** A reset still waiting to be used (unused and unexpired at `at`). */
    readonly findOpen: (id: string, at: DateTime.Utc) => Effect.Effect<Option.Option<PasswordResetRecord>>
    /** Marks every unused reset of the account used: its links stop working. */
    readonly closeAll: (accountId: AccountId, at: DateTime.Utc) => Effect.Effect<void>
  }
>()("@rota/core/identity/PasswordResetRepo") {}

/**
 * A password reset as stored: no token, only what its signed link names.
 *
 * @since 0.1.0
 * @category models
 */
export interface PasswordResetRecord {
  readonly id: string
  readonly accountId: AccountId
  readonly expiresAt: DateTime.Utc
}
