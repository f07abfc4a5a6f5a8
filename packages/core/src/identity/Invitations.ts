/**
 * Invitations: an admin invites an email to the org with a role; the link carries a signed,
 * expiring token that works once. The link goes to the address only: an account that already
 * exists joins when its holder accepts with the account's password, so neither the inviter nor
 * anyone else holding the link can join someone else's account to an org.
 *
 * The steps: `InvitationSending`, `InvitationAcceptance`, over `InvitationDeps`; the link's token in
 * `InvitationTokens`.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type {
  AlreadyExists,
  Forbidden,
  NotFound,
  Unauthenticated,
  ValidationFailed
} from "../kernel/Errors.ts"
import type { AccountId, Ids, OrgId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Role } from "../kernel/Role.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { TokenInvalid, TokenUsed } from "./IdentityErrors.ts"
import type {
  AccountRepo,
  InvitationProfile,
  InvitationRecord,
  InvitationRepo,
  MembershipRepo,
  OrgRepo
} from "./IdentityRepos.ts"
import type { Acceptance } from "./InvitationAcceptance.ts"
import * as Acceptances from "./InvitationAcceptance.ts"
import * as InvitationDeps from "./InvitationDeps.ts"
import * as Sending from "./InvitationSending.ts"
import type { PasswordHasher } from "./PasswordHasher.ts"
import type { TokenSigner } from "./TokenSigner.ts"

export type {
  /** @since 0.1.0 */
  Acceptance
} from "./InvitationAcceptance.ts"
export {
  /** @since 0.1.0 */
  createdTopic,
  /** @since 0.1.0 */
  invitationToken
} from "./InvitationTokens.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Invitations extends Context.Service<
  Invitations,
  {
    /** Invites an email; answers the invitation and its token (also sent through the outbox). */
    readonly create: (input: {
      readonly email: string
      readonly role: Role
    }) => Effect.Effect<
      { readonly invitation: InvitationRecord; readonly token: string },
      Forbidden,
      CurrentActor
    >
    /** The same without the permission check, for use cases that already made it. */
    readonly send: (input: {
      readonly email: string
      readonly role: Role
      readonly profile?: InvitationProfile | undefined
    }) => Effect.Effect<
      { readonly invitation: InvitationRecord; readonly token: string },
      never,
      CurrentActor
    >
    readonly list: Effect.Effect<ReadonlyArray<InvitationRecord>, Forbidden, CurrentActor>
    readonly revoke: (id: string) => Effect.Effect<void, Forbidden | NotFound, CurrentActor>
    readonly accept: (
      acceptance: Acceptance
    ) => Effect.Effect<
      { readonly orgId: OrgId; readonly accountId: AccountId; readonly role: Role },
      TokenInvalid | TokenUsed | ValidationFailed | AlreadyExists | Unauthenticated
    >
  }
>()("@rota/core/identity/Invitations") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Invitations,
  never,
  | InvitationRepo
  | OrgRepo
  | AccountRepo
  | MembershipRepo
  | PasswordHasher
  | TokenSigner
  | Transactor
  | AuditLog
  | Outbox.Outbox
  | Ids
> = Layer.effect(
  Invitations,
  Effect.gen(function* () {
    const deps = yield* InvitationDeps.make
    return Invitations.of({
      create: Effect.fn("Invitations.create")(Sending.create(deps)),
      send: Effect.fn("Invitations.send")(Sending.send(deps)),
      list: Sending.list(deps),
      revoke: Effect.fn("Invitations.revoke")(Sending.revoke(deps)),
      accept: Effect.fn("Invitations.accept")(Acceptances.accept(deps))
    })
  })
)
