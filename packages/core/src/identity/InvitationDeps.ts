/**
 * What the invitations use case works with, gathered once when the service is built and handed
 * to its steps.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { AccountRepo, InvitationRepo, MembershipRepo, OrgRepo } from "./IdentityRepos.ts"
import { PasswordHasher } from "./PasswordHasher.ts"
import { TokenSigner } from "./TokenSigner.ts"

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    invitations: yield* InvitationRepo,
    orgs: yield* OrgRepo,
    accounts: yield* AccountRepo,
    memberships: yield* MembershipRepo,
    hasher: yield* PasswordHasher,
    signer: yield* TokenSigner,
    transactor: yield* Transactor,
    context: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>
