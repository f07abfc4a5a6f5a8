/**
 * What the orgs use case works with, gathered once when the service is built and handed to its
 * steps.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Ids } from "../kernel/Ids.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { MembershipRepo, OrgRepo } from "./IdentityRepos.ts"

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    orgs: yield* OrgRepo,
    memberships: yield* MembershipRepo,
    transactor: yield* Transactor,
    context: yield* Effect.context<AuditLog | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>
