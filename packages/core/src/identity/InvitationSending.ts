/**
 * An org's invitations: sending one (the invitation row and its outbox message in one
 * transaction), listing and revoking them.
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Effect } from "effect"
import { NotFound } from "../kernel/Errors.ts"
import { AccountId, nextId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Role } from "../kernel/Role.ts"
import type { InvitationProfile, InvitationRecord } from "./IdentityRepos.ts"
import type { Deps } from "./InvitationDeps.ts"
import { createdTopic, invitationToken } from "./InvitationTokens.ts"
import { checkCanAssign } from "./Membership.ts"
import { settingsOf } from "./OrgSettings.ts"
import { TokenSigner } from "./TokenSigner.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface Invite {
  readonly email: string
  readonly role: Role
  readonly profile?: InvitationProfile | undefined
}

/**
 * Sends an invitation without a permission check, for use cases that already made it.
 *
 * @since 0.1.0
 * @category steps
 */
export const send = (deps: Deps) => (input: Invite) =>
  Effect.gen(function* () {
    const actor = yield* CurrentActor
    const settings = yield* settingsOf(deps.orgs, actor.orgId)
    const now = yield* DateTime.now
    const invitation: InvitationRecord = {
      id: yield* nextId(AccountId),
      orgId: actor.orgId,
      email: input.email.trim(),
      role: input.role,
      profile: input.profile ?? {},
      // The org's own lifetime, read when sending: a changed setting applies to new invitations.
      expiresAt: DateTime.addDuration(now, Duration.hours(settings.invitationTtlHours)),
      acceptedAt: null,
      revokedAt: null,
      createdAt: now
    }
    const token = yield* Effect.provideService(invitationToken(invitation), TokenSigner, deps.signer)
    yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        yield* deps.invitations.insert({ ...invitation, invitedBy: actor.accountId })
        yield* Outbox.send({
          orgId: actor.orgId,
          topic: createdTopic,
          payload: {
            invitationId: invitation.id,
            email: invitation.email,
            role: invitation.role,
            expiresAt: DateTime.formatIso(invitation.expiresAt)
          }
        })
      })
    )
    return { invitation, token }
  }).pipe(Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) =>
  Effect.fnUntraced(function* (input: { readonly email: string; readonly role: Role }) {
    yield* Permissions.require("invitation.manage")
    yield* checkCanAssign((yield* CurrentActor).role, input.role)
    return yield* send(deps)(input)
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const list = (deps: Deps) =>
  Effect.gen(function* () {
    yield* Permissions.require("invitation.manage")
    return yield* deps.invitations.list((yield* CurrentActor).orgId)
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const revoke = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    yield* Permissions.require("invitation.manage")
    const actor = yield* CurrentActor
    const revoked = yield* deps.invitations.revoke(actor.orgId, id, yield* DateTime.now)
    if (!revoked) return yield* new NotFound({ entity: "invitation", id })
  })
