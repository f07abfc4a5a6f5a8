/**
 * Reading an org's people through a view. A client reads their own record only.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import { Forbidden, NotFound } from "../kernel/Errors.ts"
import type { AccountId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { MemberQuery } from "./IdentityRepos.ts"
import type { Deps } from "./MemberDeps.ts"
import { type Kind, readPermission, roleOfKind } from "./MemberKinds.ts"
import { findOfKind, requireOrSelf } from "./MemberSteps.ts"

/**
 * @since 0.1.0
 * @category steps
 */
export const list = (deps: Deps) =>
  Effect.fnUntraced(function* (kind: Kind, query: MemberQuery) {
    const actor = yield* CurrentActor
    const roles = kind === "member" ? query.roles : [roleOfKind[kind]]
    if (!Permissions.allows(actor, readPermission[kind])) {
      // A client reads their own record only.
      if (kind !== "client" || actor.role !== "member")
        return yield* new Forbidden({ permission: readPermission[kind] })
      const own = yield* deps.memberships.find(actor.orgId, actor.accountId)
      return { items: Option.toArray(own), nextCursor: null }
    }
    return yield* deps.memberships.list(actor.orgId, { ...query, roles })
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const get = (deps: Deps) =>
  Effect.fnUntraced(function* (kind: Kind, accountId: AccountId) {
    const actor = yield* CurrentActor
    // A client sees their own record only; another's is as absent to them as one in another
    // org (404, so the answer tells nothing of whether it exists).
    const ownOnly = kind === "client" && !Permissions.allows(actor, readPermission[kind])
    if (ownOnly && actor.accountId !== accountId) return yield* new NotFound({ entity: kind, id: accountId })
    yield* requireOrSelf(readPermission[kind], accountId, kind !== "member")
    return yield* findOfKind(deps, kind, accountId)
  })
