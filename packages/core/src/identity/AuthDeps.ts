/**
 * What the auth use case works with, gathered once when the service is built and handed to its
 * steps.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { AccountRepo, OrgRepo, PasswordResetRepo, SessionRepo } from "./IdentityRepos.ts"
import { Orgs } from "./Orgs.ts"
import { PasswordHasher } from "./PasswordHasher.ts"
import { TokenSigner } from "./TokenSigner.ts"

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    accounts: yield* AccountRepo,
    orgs: yield* OrgRepo,
    orgService: yield* Orgs,
    sessions: yield* SessionRepo,
    resets: yield* PasswordResetRepo,
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
