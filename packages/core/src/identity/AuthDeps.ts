/**
 * What the auth use case works with, gathered once when the service is built and handed to its
 * steps. The identity settings are among them: what was provided when the service was built holds
 * for every call, whatever context a call runs in.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { IdentityConfig } from "./IdentityConfig.ts"
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
    config: yield* IdentityConfig,
    context: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>
