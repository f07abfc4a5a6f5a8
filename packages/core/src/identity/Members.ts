/**
 * The people of an organisation: members with their roles, and the "clients" and
 * "technicians" views of them (members with role `member` / `technician` and a profile).
 *
 * Nobody is joined to an org without their consent: adding someone with a password creates a
 * new account (an email that has one is refused, as at sign-up), and adding someone without a
 * password only invites the address, whether or not it has an account, so the answer tells the
 * inviter nothing about it. An account's name and phone are changed only by its holder.
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Effect, Layer, Option, Redacted } from "effect"
import * as Audit from "../Audit.ts"
import type { AuditLog } from "../AuditLog.ts"
import {
  type AlreadyExists,
  Forbidden,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  type ValidationFailed
} from "../Errors.ts"
import { AccountId, type Ids, nextId } from "../Ids.ts"
import type * as Outbox from "../Outbox.ts"
import type { Page } from "../Pagination.ts"
import { CurrentActor } from "../RequestContext.ts"
import type { Role } from "../Role.ts"
import { Transactor } from "../Transactor.ts"
import { demand, type Expected } from "../Versioning.ts"
import { Account } from "./Account.ts"
import * as ClientPhones from "./ClientPhones.ts"
import {
  AccountRepo,
  type InvitationRecord,
  type MemberQuery,
  MembershipRepo,
  OrgRepo
} from "./IdentityRepos.ts"
import { Invitations } from "./Invitations.ts"
import { checkCanAssign, checkProfileChange, LastOwner, type Member, outranks } from "./Membership.ts"
import { PasswordHasher } from "./PasswordHasher.ts"
import * as PasswordPolicy from "./PasswordPolicy.ts"
import * as Permissions from "./Permissions.ts"

/**
 * Which view of the people the caller uses: all members, or clients or technicians only.
 *
 * @since 0.1.0
 * @category models
 */
export type Kind = "member" | "client" | "technician"

const roleOfKind: Record<Exclude<Kind, "member">, Role> = { client: "member", technician: "technician" }

const readPermission: Record<Kind, Permissions.Permission> = {
  member: "member.read",
  client: "client.read",
  technician: "technician.read"
}
const writePermission: Record<Kind, Permissions.Permission> = {
  member: "member.manage",
  client: "client.write",
  technician: "technician.write"
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Invitee {
  readonly email: string
  readonly username?: string | undefined
  readonly fullName: string
  readonly role: Role
  readonly phone?: string | undefined
  readonly skills?: ReadonlyArray<string> | undefined
  readonly tags?: ReadonlyArray<string> | undefined
}

/**
 * Someone added with a password: a new account, ready to log in.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewMember extends Invitee {
  readonly password: Redacted.Redacted<string>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface MemberChanges {
  readonly role?: Role | undefined
  readonly fullName?: string | undefined
  readonly phone?: string | null | undefined
  readonly skills?: ReadonlyArray<string> | undefined
  readonly tags?: ReadonlyArray<string> | undefined
}

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
    const accounts = yield* AccountRepo
    const memberships = yield* MembershipRepo
    const orgs = yield* OrgRepo
    const invitations = yield* Invitations
    const hasher = yield* PasswordHasher
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    // A member may always see and edit their own client or technician record.
    const isSelf = (accountId: AccountId) =>
      Effect.map(Effect.service(CurrentActor), (actor) => actor.accountId === accountId)

    const requireOrSelf = (permission: Permissions.Permission, accountId: AccountId, selfAllowed: boolean) =>
      Effect.flatMap(isSelf(accountId), (self) =>
        selfAllowed && self ? Effect.void : Permissions.require(permission)
      )

    // Someone of another kind is "not found" through a kind's routes, as in another org.
    const findOfKind = (kind: Kind, accountId: AccountId) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const member = yield* memberships.find(actor.orgId, accountId)
        if (Option.isNone(member) || (kind !== "member" && member.value.role !== roleOfKind[kind])) {
          return yield* new NotFound({ entity: kind, id: accountId })
        }
        return member.value
      })

    const list = (kind: Kind, query: MemberQuery) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const roles = kind === "member" ? query.roles : [roleOfKind[kind]]
        if (!Permissions.allows(actor.role, readPermission[kind])) {
          // A client reads their own record only.
          if (kind !== "client" || actor.role !== "member")
            return yield* new Forbidden({ permission: readPermission[kind] })
          const own = yield* memberships.find(actor.orgId, actor.accountId)
          return { items: Option.toArray(own), nextCursor: null }
        }
        return yield* memberships.list(actor.orgId, { ...query, roles })
      })

    const get = (kind: Kind, accountId: AccountId) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        // A client sees their own record only; another's is as absent to them as one in another
        // org (404, so the answer tells nothing of whether it exists).
        const ownOnly = kind === "client" && !Permissions.allows(actor.role, readPermission[kind])
        if (ownOnly && actor.accountId !== accountId)
          return yield* new NotFound({ entity: kind, id: accountId })
        yield* requireOrSelf(readPermission[kind], accountId, kind !== "member")
        return yield* findOfKind(kind, accountId)
      })

    const roleFor = (kind: Kind, input: Invitee) =>
      Effect.gen(function* () {
        yield* Permissions.require(writePermission[kind])
        const role = kind === "member" ? input.role : roleOfKind[kind]
        if (kind === "member") yield* checkCanAssign((yield* CurrentActor).role, role)
        return role
      })

    const create = (kind: Kind, input: NewMember) =>
      Effect.gen(function* () {
        const role = yield* roleFor(kind, input)
        const actor = yield* CurrentActor
        yield* PasswordPolicy.check(Redacted.value(input.password), input)
        const passwordHash = yield* hasher.hash(input.password)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            if (role === "member" && input.phone !== undefined)
              yield* ClientPhones.checkFree(memberships, actor.orgId, input.phone)
            const accountId = yield* nextId(AccountId)
            const account = new Account({
              id: accountId,
              email: input.email.trim(),
              username: (input.username ?? input.email.split("@")[0] ?? "user").trim(),
              fullName: input.fullName,
              phone: input.phone ?? null,
              isActive: true,
              createdAt: DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
            })
            // A taken email or username is refused: an existing account joins by invitation only.
            yield* accounts.insert(account, passwordHash)
            yield* Audit.record({
              entityType: "account",
              entityId: accountId,
              action: "CREATE",
              after: account
            })
            const member = yield* memberships.insert({
              orgId: actor.orgId,
              accountId,
              role,
              skills: input.skills ?? [],
              tags: input.tags ?? [],
              at: new Date(yield* Clock.currentTimeMillis)
            })
            yield* Audit.record({
              entityType: "member",
              entityId: accountId,
              action: "CREATE",
              after: member
            })
            return member
          })
        )
      }).pipe(Effect.provide(context))

    // No account is looked up: the answer and its timing are the same for any address.
    const invite = (kind: Kind, input: Invitee) =>
      Effect.gen(function* () {
        const role = yield* roleFor(kind, input)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const { invitation } = yield* invitations.send({
              email: input.email,
              role,
              profile: {
                fullName: input.fullName,
                ...(input.username === undefined ? {} : { username: input.username }),
                ...(input.phone === undefined ? {} : { phone: input.phone }),
                skills: input.skills ?? [],
                tags: input.tags ?? []
              }
            })
            yield* Audit.record({
              entityType: "invitation",
              entityId: invitation.id,
              action: "CREATE",
              after: { email: invitation.email, role, profile: invitation.profile }
            })
            return invitation
          })
        )
      }).pipe(Effect.provide(context))

    // Only someone who outranks the target may touch their role; the last owner stays an owner.
    const checkRoleChange = Effect.fnUntraced(function* (
      target: Member,
      role: Role | undefined,
      removing: boolean
    ) {
      const actor = yield* CurrentActor
      const changesRole = removing || (role !== undefined && role !== target.role)
      if (!changesRole) return
      if (actor.accountId === target.accountId && actor.role !== "owner") {
        return yield* new Forbidden({ permission: "member.manage" })
      }
      yield* checkCanAssign(actor.role, target.role)
      if (role !== undefined) yield* checkCanAssign(actor.role, role)
      if (!outranks(actor.role, target.role)) return yield* new Forbidden({ permission: "member.manage" })
      if (target.role === "owner") {
        const owners = yield* memberships.lockOwners(actor.orgId)
        if (owners.every((owner) => owner === target.accountId))
          return yield* new LastOwner({ orgId: actor.orgId })
      }
    })

    const update = (kind: Kind, accountId: AccountId, expectedVersion: Expected, changes: MemberChanges) =>
      Effect.gen(function* () {
        yield* requireOrSelf(writePermission[kind], accountId, kind === "technician")
        const actor = yield* CurrentActor
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const before = yield* findOfKind(kind, accountId)
            yield* checkProfileChange(actor.accountId, accountId, changes)
            const version = yield* demand("member", expectedVersion)
            yield* checkRoleChange(before, kind === "member" ? changes.role : undefined, false)
            // Only the account itself gets here with a phone; it must stay free in every org
            // the account is a client of.
            if (changes.phone != null) {
              for (const { org, role } of yield* orgs.listForAccount(accountId)) {
                if (role === "member")
                  yield* ClientPhones.checkFree(memberships, org.id, changes.phone, accountId)
              }
            }
            if (changes.fullName !== undefined || changes.phone !== undefined) {
              yield* accounts.updateProfile(accountId, { fullName: changes.fullName, phone: changes.phone })
            }
            const after = yield* memberships.update(actor.orgId, accountId, version, {
              role: kind === "member" ? changes.role : undefined,
              skills: changes.skills,
              tags: changes.tags
            })
            yield* Audit.record({
              entityType: "member",
              entityId: accountId,
              action: "UPDATE",
              before,
              after
            })
            return after
          })
        )
      }).pipe(Effect.provide(context))

    const remove = (kind: Kind, accountId: AccountId, expectedVersion: Expected) =>
      Effect.gen(function* () {
        yield* requireOrSelf(writePermission[kind], accountId, kind === "technician")
        const actor = yield* CurrentActor
        yield* transactor.withTransaction(
          Effect.gen(function* () {
            const before = yield* findOfKind(kind, accountId)
            const version = yield* demand("member", expectedVersion)
            // Removing a client or a technician is what `client.write` / `technician.write` grant
            // (checked above): the route fixes the target's role, so no role is taken from anyone
            // above the caller. Only the members route, which reaches every role, needs the rules
            // on roles (outranking, owners, the last owner).
            if (actor.accountId !== accountId && kind === "member")
              yield* checkRoleChange(before, undefined, true)
            else if (before.role === "owner") {
              const owners = yield* memberships.lockOwners(actor.orgId)
              if (owners.every((owner) => owner === accountId))
                return yield* new LastOwner({ orgId: actor.orgId })
            }
            const after = yield* memberships.remove(
              actor.orgId,
              accountId,
              version,
              new Date(yield* Clock.currentTimeMillis)
            )
            yield* Audit.record({
              entityType: "member",
              entityId: accountId,
              action: "SOFT_DELETE",
              before,
              after
            })
          })
        )
      }).pipe(Effect.provide(context))

    // An org suspends its own membership, never the account: the account is its holder's and
    // may be in other orgs, which no org can lock it out of.
    const setActive = (accountId: AccountId, expectedVersion: Expected, isActive: boolean) =>
      Effect.gen(function* () {
        yield* Permissions.require("member.manage")
        const actor = yield* CurrentActor
        // Suspending oneself would leave nobody the caller trusts to undo it.
        if (actor.accountId === accountId) return yield* new Forbidden({ permission: "member.manage" })
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const found = yield* memberships.findInactiveToo(actor.orgId, accountId)
            if (Option.isNone(found)) return yield* new NotFound({ entity: "member", id: accountId })
            const before = found.value
            const version = yield* demand("member", expectedVersion)
            // Suspending takes the role's use away as removing does (the last owner stays);
            // restoring gives it back, so it needs the same rank.
            if (isActive) {
              yield* checkCanAssign(actor.role, before.role)
              if (!outranks(actor.role, before.role))
                return yield* new Forbidden({ permission: "member.manage" })
            } else yield* checkRoleChange(before, undefined, true)
            const after = yield* memberships.setActive(actor.orgId, accountId, version, isActive)
            yield* Audit.record({
              entityType: "member",
              entityId: accountId,
              action: "STATUS_CHANGE",
              before,
              after
            })
            return after
          })
        )
      }).pipe(Effect.provide(context))

    return Members.of({ list, get, create, invite, update, setActive, remove })
  })
)
