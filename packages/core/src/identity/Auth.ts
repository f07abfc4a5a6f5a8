/**
 * Authentication: registration, login, refresh-token rotation with reuse detection, logout,
 * password change and reset. Every write runs in one transaction with its audit events.
 *
 * The steps: `AuthLogins`, `AuthSessions`, `PasswordResets`, over `AuthDeps`.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, type Redacted } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { AlreadyExists, Unauthenticated, ValidationFailed } from "../kernel/Errors.ts"
import type { AccountId, Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Account } from "./Account.ts"
import * as AuthDeps from "./AuthDeps.ts"
import type { Me, Registration } from "./AuthLogins.ts"
import * as Logins from "./AuthLogins.ts"
import type { Tokens } from "./AuthSessions.ts"
import * as Sessions from "./AuthSessions.ts"
import type { SignupClosed, TokenInvalid, TokenUsed } from "./IdentityErrors.ts"
import type { AccountRepo, OrgRepo, PasswordResetRepo, SessionRepo } from "./IdentityRepos.ts"
import type { Organization } from "./Organization.ts"
import type { Orgs } from "./Orgs.ts"
import type { PasswordHasher } from "./PasswordHasher.ts"
import * as PasswordResets from "./PasswordResets.ts"
import type { TokenSigner } from "./TokenSigner.ts"

export type {
  /** @since 0.1.0 */
  Me,
  /** @since 0.1.0 */
  Registration
} from "./AuthLogins.ts"
export {
  /** @since 0.1.0 */
  Tokens
} from "./AuthSessions.ts"
export {
  /** @since 0.1.0 */
  resetRequestedTopic,
  /** @since 0.1.0 */
  resetToken
} from "./PasswordResets.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Auth extends Context.Service<
  Auth,
  {
    readonly register: (
      registration: Registration
    ) => Effect.Effect<
      { readonly account: Account; readonly org: Organization; readonly tokens: Tokens },
      SignupClosed | AlreadyExists | ValidationFailed
    >
    readonly login: (
      login: string,
      password: Redacted.Redacted<string>
    ) => Effect.Effect<Tokens, Unauthenticated>
    readonly refresh: (refreshToken: string) => Effect.Effect<Tokens, Unauthenticated>
    readonly logout: (sessionId: string, refreshToken: string | undefined) => Effect.Effect<void>
    readonly me: (accountId: AccountId) => Effect.Effect<Me, Unauthenticated>
    readonly changePassword: (
      accountId: AccountId,
      sessionId: string,
      current: Redacted.Redacted<string>,
      next: Redacted.Redacted<string>
    ) => Effect.Effect<void, Unauthenticated | ValidationFailed>
    /** Always succeeds, whether or not the email belongs to an account. */
    readonly requestPasswordReset: (email: string) => Effect.Effect<void>
    readonly confirmPasswordReset: (
      token: string,
      password: Redacted.Redacted<string>
    ) => Effect.Effect<void, TokenInvalid | TokenUsed | ValidationFailed>
  }
>()("@rota/core/identity/Auth") {}

/**
 * The use cases over their ports.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Auth,
  never,
  | AccountRepo
  | OrgRepo
  | Orgs
  | SessionRepo
  | PasswordResetRepo
  | PasswordHasher
  | TokenSigner
  | Transactor
  | AuditLog
  | Outbox.Outbox
  | Ids
> = Layer.effect(
  Auth,
  Effect.gen(function* () {
    const deps = yield* AuthDeps.make
    return Auth.of({
      register: Effect.fn("Auth.register")(Logins.register(deps)),
      login: Effect.fn("Auth.login")(Logins.login(deps)),
      refresh: Effect.fn("Auth.refresh")(Sessions.refresh(deps)),
      logout: Effect.fn("Auth.logout")(Sessions.logout(deps)),
      me: Effect.fn("Auth.me")(Logins.me(deps)),
      changePassword: Effect.fn("Auth.changePassword")(PasswordResets.changePassword(deps)),
      requestPasswordReset: Effect.fn("Auth.requestPasswordReset")(PasswordResets.requestPasswordReset(deps)),
      confirmPasswordReset: Effect.fn("Auth.confirmPasswordReset")(PasswordResets.confirmPasswordReset(deps))
    })
  })
)
