/**
 * The people of an organisation: members with their roles, and the "clients" and
 * "technicians" views of them (members with role `member` / `technician` and a profile).
 *
 * Nobody is joined to an org without their consent: adding someone with a password creates a
 * new account (an email that has one is refused, as at sign-up), and adding someone without a
 * password only invites the address, whether or not it has an account, so the answer tells the
 * inviter nothing about it. An account's name and phone are changed only by its holder.
 *
 * The steps: `MemberReads`, `MemberJoining`, `MemberEdits`, over `MemberSteps`; the views in
 * `MemberKinds`.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type {
  AlreadyExists,
  Forbidden,
  NotFound,
  PreconditionFailed,
  PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import type { AccountId, Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page } from "../kernel/Pagination.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import type { AccountRepo, InvitationRecord, MemberQuery, MembershipRepo, OrgRepo } from "./IdentityRepos.ts"
import type { Invitations } from "./Invitations.ts"
import * as MemberDeps from "./MemberDeps.ts"
import * as Edits from "./MemberEdits.ts"
import type { Invitee, MemberChanges, NewMember } from "./MemberInput.ts"
import * as Joining from "./MemberJoining.ts"
import type { Kind } from "./MemberKinds.ts"
import * as Reads from "./MemberReads.ts"
import type { LastOwner, Member } from "./Membership.ts"
import type { PasswordHasher } from "./PasswordHasher.ts"

export type {
  /** @since 0.1.0 */
  Invitee,
  /** @since 0.1.0 */
  MemberChanges,
  /** @since 0.1.0 */
  NewMember
} from "./MemberInput.ts"
export type {
  /** @since 0.1.0 */
  Kind
} from "./MemberKinds.ts"

type MemberError = Forbidden | NotFound

/**
 * @since 0.1.0
 * @category services
 */
export class Members extends Context.Service<
  Members,
  {
    readonly list: (
      kind: Kind,
      query: MemberQuery
    ) => Effect.Effect<Page<Member>, Forbidden | ValidationFailed, CurrentActor>
    readonly get: (kind: Kind, accountId: AccountId) => Effect.Effect<Member, MemberError, CurrentActor>
    /** A new account and its membership; an email that already has an account is refused. */
    readonly create: (
      kind: Kind,
      input: NewMember
    ) => Effect.Effect<Member, Forbidden | AlreadyExists | ValidationFailed, CurrentActor>
    /** Invites the address with what the org typed; the same whether or not it has an account. */
    readonly invite: (kind: Kind, input: Invitee) => Effect.Effect<InvitationRecord, Forbidden, CurrentActor>
    readonly update: (
      kind: Kind,
      accountId: AccountId,
      expectedVersion: Expected,
      changes: MemberChanges
    ) => Effect.Effect<
      Member,
      MemberError | PreconditionFailed | PreconditionRequired | LastOwner | AlreadyExists,
      CurrentActor
    >
    /**
     * Suspends (or restores) someone's membership of the caller's org: their sessions lose
     * access to it at once, their account and other orgs are untouched.
     */
    readonly setActive: (
      accountId: AccountId,
      expectedVersion: Expected,
      isActive: boolean
    ) => Effect.Effect<
      Member,
      MemberError | PreconditionFailed | PreconditionRequired | LastOwner,
      CurrentActor
    >
    readonly remove: (
      kind: Kind,
      accountId: AccountId,
      expectedVersion: Expected
    ) => Effect.Effect<
      void,
      MemberError | PreconditionFailed | PreconditionRequired | LastOwner,
      CurrentActor
    >
  }
>()("@rota/core/identity/Members") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Members,
  never,
  | AccountRepo
  | MembershipRepo
  | OrgRepo
  | Invitations
  | PasswordHasher
  | Transactor
  | AuditLog
  | Outbox.Outbox
  | Ids
> = Layer.effect(
  Members,
  Effect.gen(function* () {
    const deps = yield* MemberDeps.make
    return Members.of({
      list: Effect.fn("Members.list")(Reads.list(deps)),
      get: Effect.fn("Members.get")(Reads.get(deps)),
      create: Effect.fn("Members.create")(Joining.create(deps)),
      invite: Effect.fn("Members.invite")(Joining.invite(deps)),
      update: Effect.fn("Members.update")(Edits.update(deps)),
      setActive: Effect.fn("Members.setActive")(Edits.setActive(deps)),
      remove: Effect.fn("Members.remove")(Edits.remove(deps))
    })
  })
)
