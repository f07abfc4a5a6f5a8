/**
 * The port that hashes and verifies passwords (argon2id in the HTTP server).
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Redacted } from "effect"

/**
 * @since 0.1.0
 * @category services
 */
export class PasswordHasher extends Context.Service<
  PasswordHasher,
  {
    readonly hash: (password: Redacted.Redacted<string>) => Effect.Effect<string>
    readonly verify: (hash: string, password: Redacted.Redacted<string>) => Effect.Effect<boolean>
    /** Spends the time of a verification for a login that matched no account, so timing reveals nothing. */
    readonly verifyDummy: (password: Redacted.Redacted<string>) => Effect.Effect<void>
  }
>()("@rota/core/identity/PasswordHasher") {}
