/**
 * The steps the members operations share: who may act on a record (its permission, or being
 * the person), finding someone through a view, the role an addition gets, and the rules on
 * changing someone's role.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import { Forbidden, NotFound } from "../kernel/Errors.ts"
import type { AccountId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Role } from "../kernel/Role.ts"
import type { Deps } from "./MemberDeps.ts"
import type { Invitee } from "./MemberInput.ts"
import { type Kind, roleOfKind, writePermission } from "./MemberKinds.ts"
import { checkCanAssign, LastOwner, type Member, outranks } from "./Membership.ts"

/**
 * A member may always see and edit their own client or technician record.
 *
 * @since 0.1.0
 * @category steps
 */
export const requireOrSelf = (
  permission: Permissions.Permission,
  accountId: AccountId,
  selfAllowed: boolean
) =>
  Effect.flatMap(Effect.service(CurrentActor), (actor) =>
    selfAllowed && actor.accountId === accountId ? Effect.void : Permissions.require(permission)
  )

/**
 * Someone of another kind is "not found" through a kind's routes, as in another org.
 *
 * @since 0.1.0
 * @category steps
 */
export const findOfKind = Effect.fnUntraced(function* (deps: Deps, kind: Kind, accountId: AccountId) {
  const actor = yield* CurrentActor
  const member = yield* deps.memberships.find(actor.orgId, accountId)
  if (Option.isNone(member) || (kind !== "member" && member.value.role !== roleOfKind[kind])) {
    return yield* new NotFound({ entity: kind, id: accountId })
  }
  return member.value
})

/**
 * The role someone added through a view gets; through the members view, one the caller may give.
 *
 * @since 0.1.0
 * @category steps
 */
export const roleFor = Effect.fnUntraced(function* (kind: Kind, input: Invitee) {
  yield* Permissions.require(writePermission[kind])
  const role = kind === "member" ? input.role : roleOfKind[kind]
  if (kind === "member") yield* checkCanAssign((yield* CurrentActor).role, role)
  return role
})

/**
 * Only someone who outranks the target may touch their role; the last owner stays an owner.
 *
 * @since 0.1.0
 * @category steps
 */
export const checkRoleChange = Effect.fnUntraced(function* (
  deps: Deps,
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
    const owners = yield* deps.memberships.lockOwners(actor.orgId)
    if (owners.every((owner) => owner === target.accountId))
      return yield* new LastOwner({ orgId: actor.orgId })
  }
})
