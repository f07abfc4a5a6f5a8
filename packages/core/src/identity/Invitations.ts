/**
 * Invitations: an admin invites an email to the org with a role; the link carries a signed,
 * expiring token that works once. The link goes to the address only: an account that already
 * exists joins when its holder accepts with the account's password, so neither the inviter nor
 * anyone else holding the link can join someone else's account to an org.
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Duration, Effect, Layer, Option, Redacted } from "effect"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import {
  type AlreadyExists,
  type Forbidden,
  NotFound,
  Unauthenticated,
  ValidationFailed
} from "../kernel/Errors.ts"
import { AccountId, type Ids, nextId, type OrgId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Role } from "../kernel/Role.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { Account, normalizeLogin } from "./Account.ts"
import * as ClientPhones from "./ClientPhones.ts"
import { TokenInvalid, TokenUsed } from "./IdentityErrors.ts"
import {
  AccountRepo,
  type InvitationProfile,
  type InvitationRecord,
  InvitationRepo,
  MembershipRepo,
  OrgRepo
} from "./IdentityRepos.ts"
import { checkCanAssign } from "./Membership.ts"
import { settingsOf } from "./OrgSettings.ts"
import { PasswordHasher } from "./PasswordHasher.ts"
import * as PasswordPolicy from "./PasswordPolicy.ts"
import { TokenSigner } from "./TokenSigner.ts"

const purpose = "invitation"

/**
 * The outbox topic of a new invitation; its payload names the invitation, never its token.
 *
 * @since 0.1.0
 * @category topics
 */
export const createdTopic = "invitation.created"

/**
 * The token of an invitation's link, signed over what the invitation row stores, so the
 * deliverer signs it again from the row and no copy of it is kept.
 *
 * @since 0.1.0
 * @category tokens
 */
export const invitationToken = (invitation: InvitationRecord): Effect.Effect<string, never, TokenSigner> =>
  Effect.flatMap(Effect.service(TokenSigner), (signer) =>
    signer.signPurpose({
      purpose,
      subject: invitation.email,
      id: invitation.id,
      expiresAt: invitation.expiresAt
    })
  )

/**
 * @since 0.1.0
 * @category models
 */
export interface Acceptance {
  readonly token: string
  readonly password?: Redacted.Redacted<string> | undefined
  readonly fullName?: string | undefined
  readonly username?: string | undefined
}

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
    const invitations = yield* InvitationRepo
    const orgs = yield* OrgRepo
    const accounts = yield* AccountRepo
    const memberships = yield* MembershipRepo
    const hasher = yield* PasswordHasher
    const signer = yield* TokenSigner
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    const send = (input: {
      readonly email: string
      readonly role: Role
      readonly profile?: InvitationProfile | undefined
    }) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const settings = yield* settingsOf(orgs, actor.orgId)
        const now = yield* Clock.currentTimeMillis
        const invitation: InvitationRecord = {
          id: yield* nextId(AccountId),
          orgId: actor.orgId,
          email: input.email.trim(),
          role: input.role,
          profile: input.profile ?? {},
          // The org's own lifetime, read when sending: a changed setting applies to new invitations.
          expiresAt: new Date(now + Duration.toMillis(Duration.hours(settings.invitationTtlHours))),
          acceptedAt: null,
          revokedAt: null,
          createdAt: new Date(now)
        }
        const token = yield* Effect.provideService(invitationToken(invitation), TokenSigner, signer)
        yield* transactor.withTransaction(
          Effect.gen(function* () {
            yield* invitations.insert({ ...invitation, invitedBy: actor.accountId })
            yield* Outbox.send({
              orgId: actor.orgId,
              topic: createdTopic,
              payload: {
                invitationId: invitation.id,
                email: invitation.email,
                role: invitation.role,
                expiresAt: invitation.expiresAt.toISOString()
              }
            })
          })
        )
        return { invitation, token }
      }).pipe(Effect.provide(context))

    const create = Effect.fn("Invitations.create")(function* (input: {
      readonly email: string
      readonly role: Role
    }) {
      yield* Permissions.require("invitation.manage")
      yield* checkCanAssign((yield* CurrentActor).role, input.role)
      return yield* send(input)
    })

    const list = Effect.gen(function* () {
      yield* Permissions.require("invitation.manage")
      return yield* invitations.list((yield* CurrentActor).orgId)
    })

    const revoke = Effect.fn("Invitations.revoke")(function* (id: string) {
      yield* Permissions.require("invitation.manage")
      const actor = yield* CurrentActor
      const revoked = yield* invitations.revoke(actor.orgId, id, new Date(yield* Clock.currentTimeMillis))
      if (!revoked) return yield* new NotFound({ entity: "invitation", id })
    })

    // The holder of an existing account proves it with the account's password: the token only
    // shows who reads the mailbox, and must not join an account whose holder did not consent.
    const proveHolder = (passwordHash: string, password: Redacted.Redacted<string> | undefined) =>
      password === undefined
        ? Effect.fail(new Unauthenticated({ reason: "invitation for an existing account, no password" }))
        : Effect.flatMap(hasher.verify(passwordHash, password), (ok) =>
            ok ? Effect.void : Effect.fail(new Unauthenticated({ reason: "invitation, wrong password" }))
          )

    const accept = (acceptance: Acceptance) =>
      Effect.gen(function* () {
        const claims = yield* signer.verifyPurpose(acceptance.token, purpose)
        const found = yield* invitations.find(claims.id)
        if (Option.isNone(found)) return yield* new TokenInvalid({ purpose })
        const invitation = found.value
        const holder = Option.getOrUndefined(yield* accounts.findByLogin(normalizeLogin(invitation.email)))
        if (holder !== undefined && !holder.account.isActive) {
          return yield* new Unauthenticated({ reason: "invitation for an inactive account" })
        }
        // An account nobody has claimed yet (no password) has no holder to ask but the mailbox's.
        const provenId = holder?.passwordHash == null ? undefined : holder.account.id
        if (holder?.passwordHash != null) yield* proveHolder(holder.passwordHash, acceptance.password)
        else if (acceptance.password !== undefined) {
          yield* PasswordPolicy.check(Redacted.value(acceptance.password), { email: invitation.email })
        }
        const passwordHash =
          acceptance.password === undefined || provenId !== undefined
            ? null
            : yield* hasher.hash(acceptance.password)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const now = new Date(yield* Clock.currentTimeMillis)
            if (!(yield* invitations.accept(invitation.id, now))) return yield* new TokenUsed({ purpose })
            const existing = yield* accounts.findByLogin(normalizeLogin(invitation.email))
            let accountId: AccountId
            if (Option.isSome(existing)) {
              accountId = existing.value.account.id
              if (existing.value.passwordHash !== null) {
                // Got a password after the check above: its holder has not proven anything yet.
                if (provenId !== accountId) {
                  return yield* new Unauthenticated({ reason: "invitation, account changed meanwhile" })
                }
              } else if (passwordHash !== null) {
                // An account nobody has claimed yet gets its first password from the mailbox's holder.
                yield* accounts.setPassword(accountId, passwordHash)
              }
            } else {
              if (passwordHash === null) {
                return yield* new ValidationFailed({
                  errors: [
                    { path: ["body", "password"], message: "A password is needed to create the account" }
                  ]
                })
              }
              const profile = invitation.profile
              if (invitation.role === "member" && profile.phone !== undefined)
                yield* ClientPhones.checkFree(memberships, invitation.orgId, profile.phone)
              accountId = yield* nextId(AccountId)
              yield* accounts.insert(
                new Account({
                  id: accountId,
                  email: invitation.email,
                  username: (
                    acceptance.username ??
                    profile.username ??
                    invitation.email.split("@")[0] ??
                    "user"
                  ).trim(),
                  fullName: acceptance.fullName ?? profile.fullName ?? invitation.email,
                  phone: profile.phone ?? null,
                  isActive: true,
                  createdAt: DateTime.fromDateUnsafe(now)
                }),
                passwordHash
              )
            }
            const member = yield* Effect.catchTag(
              memberships.insert({
                orgId: invitation.orgId,
                accountId,
                role: invitation.role,
                skills: invitation.profile.skills ?? [],
                tags: invitation.profile.tags ?? [],
                employmentType: invitation.profile.employmentType ?? null,
                at: now
              }),
              "AlreadyExists",
              () => Effect.succeed(undefined)
            )
            if (member !== undefined) {
              yield* Audit.recordAs(
                { orgId: invitation.orgId, actorId: accountId },
                { entityType: "member", entityId: accountId, action: "CREATE", after: member }
              )
            }
            return { orgId: invitation.orgId, accountId, role: invitation.role }
          })
        )
      }).pipe(Effect.provide(context))

    return Invitations.of({ create, send, list, revoke, accept })
  })
)
