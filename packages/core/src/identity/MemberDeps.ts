/**
 * What the members use case works with, gathered once when the service is built and handed to
 * its steps.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { AccountRepo, MembershipRepo, OrgRepo } from "./IdentityRepos.ts"
import { Invitations } from "./Invitations.ts"
import { PasswordHasher } from "./PasswordHasher.ts"

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    accounts: yield* AccountRepo,
    memberships: yield* MembershipRepo,
    orgs: yield* OrgRepo,
    invitations: yield* Invitations,
    hasher: yield* PasswordHasher,
    transactor: yield* Transactor,
    context: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>
