/**
 * Changing someone's membership: their profile and role, removing them, suspending and
 * restoring them. Each runs in one transaction with its audit event.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import * as Audit from "../kernel/Audit.ts"
import { Forbidden, NotFound } from "../kernel/Errors.ts"
import type { AccountId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { demand, type Expected } from "../kernel/Versioning.ts"
import * as ClientPhones from "./ClientPhones.ts"
import type { Deps } from "./MemberDeps.ts"
import type { MemberChanges } from "./MemberInput.ts"
import { type Kind, writePermission } from "./MemberKinds.ts"
import { checkRoleChange, findOfKind, requireOrSelf } from "./MemberSteps.ts"
import { checkCanAssign, checkProfileChange, LastOwner, outranks } from "./Membership.ts"

// Only the account itself gets here with a phone; it must stay free in every org the account is
// a client of.
const checkPhoneFree = Effect.fnUntraced(function* (deps: Deps, accountId: AccountId, phone: string) {
  for (const { org, role } of yield* deps.orgs.listForAccount(accountId)) {
    if (role === "member") yield* ClientPhones.checkFree(deps.memberships, org.id, phone, accountId)
  }
})

/**
 * @since 0.1.0
 * @category steps
 */
export const update =
  (deps: Deps) => (kind: Kind, accountId: AccountId, expectedVersion: Expected, changes: MemberChanges) =>
    Effect.gen(function* () {
      yield* requireOrSelf(writePermission[kind], accountId, kind === "technician")
      // How someone works for the org is the org's record, not part of their self-service profile.
      if (changes.employmentType !== undefined) yield* Permissions.require(writePermission[kind])
      const actor = yield* CurrentActor
      return yield* deps.transactor.withTransaction(
        Effect.gen(function* () {
          const before = yield* findOfKind(deps, kind, accountId)
          yield* checkProfileChange(actor.accountId, accountId, changes)
          const version = yield* demand("member", expectedVersion)
          yield* checkRoleChange(deps, before, kind === "member" ? changes.role : undefined, false)
          if (changes.phone != null) yield* checkPhoneFree(deps, accountId, changes.phone)
          if (changes.fullName !== undefined || changes.phone !== undefined) {
            yield* deps.accounts.updateProfile(accountId, {
              fullName: changes.fullName,
              phone: changes.phone
            })
          }
          const after = yield* deps.memberships.update(actor.orgId, accountId, version, {
            role: kind === "member" ? changes.role : undefined,
            skills: changes.skills,
            tags: changes.tags,
            employmentType: changes.employmentType
          })
          yield* Audit.record({ entityType: "member", entityId: accountId, action: "UPDATE", before, after })
          return after
        })
      )
    }).pipe(Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const remove = (deps: Deps) => (kind: Kind, accountId: AccountId, expectedVersion: Expected) =>
  Effect.gen(function* () {
    yield* requireOrSelf(writePermission[kind], accountId, kind === "technician")
    const actor = yield* CurrentActor
    yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const before = yield* findOfKind(deps, kind, accountId)
        const version = yield* demand("member", expectedVersion)
        // Removing a client or a technician is what `client.write` / `technician.write` grant
        // (checked above): the route fixes the target's role, so no role is taken from anyone
        // above the caller. Only the members route, which reaches every role, needs the rules
        // on roles (outranking, owners, the last owner).
        if (actor.accountId !== accountId && kind === "member")
          yield* checkRoleChange(deps, before, undefined, true)
        else if (before.role === "owner") {
          const owners = yield* deps.memberships.lockOwners(actor.orgId)
          if (owners.every((owner) => owner === accountId))
            return yield* new LastOwner({ orgId: actor.orgId })
        }
        const at = yield* DateTime.now
        const after = yield* deps.memberships.remove(actor.orgId, accountId, version, at)
        yield* Audit.record({
          entityType: "member",
          entityId: accountId,
          action: "SOFT_DELETE",
          before,
          after
        })
      })
    )
  }).pipe(Effect.provide(deps.context))

/**
 * An org suspends its own membership, never the account: the account is its holder's and may be
 * in other orgs, which no org can lock it out of.
 *
 * @since 0.1.0
 * @category steps
 */
export const setActive =
  (deps: Deps) => (accountId: AccountId, expectedVersion: Expected, isActive: boolean) =>
    Effect.gen(function* () {
      yield* Permissions.require("member.manage")
      const actor = yield* CurrentActor
      // Suspending oneself would leave nobody the caller trusts to undo it.
      if (actor.accountId === accountId) return yield* new Forbidden({ permission: "member.manage" })
      return yield* deps.transactor.withTransaction(
        Effect.gen(function* () {
          const found = yield* deps.memberships.findInactiveToo(actor.orgId, accountId)
          if (Option.isNone(found)) return yield* new NotFound({ entity: "member", id: accountId })
          const before = found.value
          const version = yield* demand("member", expectedVersion)
          // Suspending takes the role's use away as removing does (the last owner stays);
          // restoring gives it back, so it needs the same rank.
          if (isActive) {
            yield* checkCanAssign(actor.role, before.role)
            if (!outranks(actor.role, before.role))
              return yield* new Forbidden({ permission: "member.manage" })
          } else yield* checkRoleChange(deps, before, undefined, true)
          const after = yield* deps.memberships.setActive(actor.orgId, accountId, version, isActive)
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
    }).pipe(Effect.provide(deps.context))
