/**
 * Authentication: registration, login, refresh-token rotation with reuse detection, logout,
 * password change and reset. Every write runs in one transaction with its audit events.
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Duration, Effect, Layer, Option, Redacted, Schema } from "effect"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import { type AlreadyExists, Unauthenticated, type ValidationFailed } from "../kernel/Errors.ts"
import { AccountId, type Ids, nextId, type OrgId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import type { Role } from "../kernel/Role.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { Account, normalizeLogin } from "./Account.ts"
import { IdentityConfig } from "./IdentityConfig.ts"
import { SignupClosed, TokenInvalid, TokenUsed } from "./IdentityErrors.ts"
import {
  AccountRepo,
  OrgRepo,
  type PasswordResetRecord,
  PasswordResetRepo,
  SessionRepo
} from "./IdentityRepos.ts"
import type { Organization } from "./Organization.ts"
import { Orgs } from "./Orgs.ts"
import { PasswordHasher } from "./PasswordHasher.ts"
import * as PasswordPolicy from "./PasswordPolicy.ts"
import { TokenSigner } from "./TokenSigner.ts"

/**
 * What a successful login answers.
 *
 * @since 0.1.0
 * @category models
 */
export const Tokens = Schema.Struct({
  accessToken: Schema.String,
  refreshToken: Schema.String,
  tokenType: Schema.Literal("Bearer"),
  expiresIn: Schema.Int
})
/** @since 0.1.0 @category models */
export type Tokens = typeof Tokens.Type

/**
 * @since 0.1.0
 * @category models
 */
export interface Registration {
  readonly email: string
  readonly username: string
  readonly password: Redacted.Redacted<string>
  readonly fullName: string
  readonly orgName: string
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Me {
  readonly account: Account
  readonly memberships: ReadonlyArray<{
    readonly orgId: OrgId
    readonly role: Role
    readonly orgName: string
  }>
}

const resetPurpose = "password-reset"

/**
 * The outbox topic of a reset request; its payload names the reset, never its token.
 *
 * @since 0.1.0
 * @category topics
 */
export const resetRequestedTopic = "auth.password_reset_requested"

/**
 * The token of a reset's link, signed over what the reset row stores. Nothing secret is kept:
 * whoever delivers the link signs it again from the row, and only the server's keys can.
 *
 * @since 0.1.0
 * @category tokens
 */
export const resetToken = (reset: PasswordResetRecord): Effect.Effect<string, never, TokenSigner> =>
  Effect.flatMap(Effect.service(TokenSigner), (signer) =>
    signer.signPurpose({
      purpose: resetPurpose,
      subject: reset.accountId,
      id: reset.id,
      expiresAt: reset.expiresAt
    })
  )

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

const now = Effect.map(Clock.currentTimeMillis, (millis) => new Date(millis))

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
    const accounts = yield* AccountRepo
    const orgs = yield* OrgRepo
    const orgService = yield* Orgs
    const sessions = yield* SessionRepo
    const resets = yield* PasswordResetRepo
    const hasher = yield* PasswordHasher
    const signer = yield* TokenSigner
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    const issueTokens = Effect.fnUntraced(function* (sessionId: string, accountId: AccountId) {
      const refresh = yield* signer.opaque
      return yield* storeAndAnswer(refresh, sessionId, accountId, yield* now)
    })

    const storeAndAnswer = Effect.fnUntraced(function* (
      refresh: { readonly token: string; readonly hash: string },
      sessionId: string,
      accountId: AccountId,
      at: Date
    ) {
      const config = yield* IdentityConfig
      yield* sessions.addRefresh({
        hash: refresh.hash,
        sessionId,
        accountId,
        expiresAt: new Date(at.getTime() + Duration.toMillis(config.refreshTtl))
      })
      return yield* answer(refresh.token, sessionId, accountId, at)
    })

    const answer = Effect.fnUntraced(function* (
      refreshToken: string,
      sessionId: string,
      accountId: AccountId,
      issuedAt: Date
    ) {
      const access = yield* signer.issueAccess({ accountId, sessionId }, issuedAt)
      return {
        accessToken: access.token,
        refreshToken,
        tokenType: "Bearer" as const,
        expiresIn: access.expiresIn
      }
    })

    const startSession = Effect.fnUntraced(function* (accountId: AccountId) {
      const id = yield* nextId(AccountId)
      yield* sessions.create({ id, accountId, at: yield* now })
      return yield* issueTokens(id, accountId)
    })

    const register = (registration: Registration) =>
      Effect.gen(function* () {
        const config = yield* IdentityConfig
        if (!config.signupOpen) return yield* new SignupClosed()
        yield* PasswordPolicy.check(Redacted.value(registration.password), registration)
        const passwordHash = yield* hasher.hash(registration.password)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const account = new Account({
              id: yield* nextId(AccountId),
              email: registration.email.trim(),
              username: registration.username.trim(),
              fullName: registration.fullName,
              phone: null,
              isActive: true,
              createdAt: DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
            })
            yield* accounts.insert(account, passwordHash)
            const org = yield* orgService.create(account.id, { name: registration.orgName })
            yield* Audit.recordAs(
              { orgId: org.id, actorId: account.id },
              { entityType: "account", entityId: account.id, action: "CREATE", after: account }
            )
            const tokens = yield* startSession(account.id)
            return { account, org, tokens }
          })
        )
      }).pipe(Effect.provide(context))

    const login = (login: string, password: Redacted.Redacted<string>) =>
      Effect.gen(function* () {
        const found = yield* accounts.findByLogin(normalizeLogin(login))
        if (Option.isNone(found) || found.value.passwordHash === null) {
          yield* hasher.verifyDummy(password)
          return yield* new Unauthenticated({ reason: "unknown login" })
        }
        const ok = yield* hasher.verify(found.value.passwordHash, password)
        if (!ok) return yield* new Unauthenticated({ reason: "wrong password" })
        if (!found.value.account.isActive) return yield* new Unauthenticated({ reason: "inactive account" })
        return yield* transactor.withTransaction(startSession(found.value.account.id))
      }).pipe(Effect.provide(context))

    // Rotation with a grace period (OAuth 2.0 Security BCP, refresh token rotation): a client
    // that sends one token several times at once (tabs, retries after a lost answer) must not
    // lose its session, but a token coming back later is a stolen copy.
    //
    // The successor of a token is not random but keyed from it (`successorOf`, an HMAC under
    // the signing key, which is not in the database), and the access token is signed with the
    // rotation's instant as `iat`: a replay within the grace computes the very pair the first
    // use answered, so that pair is never stored, only the successor's hash, as for any token.
    // The token's row is locked first, so concurrent uses (on any server) run one after the
    // other: the first rotates, the others see `used_at` and replay.
    const refresh = Effect.fn("Auth.refresh")((refreshToken: string) =>
      transactor
        .withTransaction(
          Effect.gen(function* () {
            const config = yield* IdentityConfig
            const hash = signer.hashOpaque(refreshToken)
            const record = yield* sessions.lockRefresh(hash)
            if (Option.isNone(record)) return yield* new Unauthenticated({ reason: "unknown refresh token" })
            const at = yield* now
            const { sessionId, accountId, expiresAt, sessionRevoked, usedAt, successorHash } = record.value
            if (sessionRevoked || expiresAt.getTime() <= at.getTime()) {
              return yield* new Unauthenticated({ reason: "session ended" })
            }
            const successor = signer.successorOf(refreshToken)
            if (usedAt === null) {
              if (!(yield* sessions.useRefresh(hash, at, successor.hash))) {
                return yield* new Unauthenticated({ reason: "refresh token reuse" })
              }
              return yield* storeAndAnswer(successor, sessionId, accountId, at)
            }
            const inGrace = at.getTime() - usedAt.getTime() < Duration.toMillis(config.refreshReuseGrace)
            // A successor already rotated in turn means this token is older than the latest one.
            const next =
              successorHash === successor.hash ? yield* sessions.findRefresh(successor.hash) : Option.none()
            if (inGrace && Option.isSome(next) && next.value.usedAt === null) {
              return yield* answer(successor.token, sessionId, accountId, usedAt)
            }
            return yield* new Unauthenticated({ reason: "refresh token reuse" })
          })
        )
        .pipe(
          // A rotated token came back: someone holds a copy, so the whole session ends. The
          // request fails and its transaction rolls back, so the revocation commits on its own.
          Effect.tapError((error) =>
            error.reason === "refresh token reuse"
              ? Effect.flatMap(sessions.findRefresh(signer.hashOpaque(refreshToken)), (record) =>
                  Option.isSome(record)
                    ? Effect.flatMap(now, (at) => sessions.revoke(record.value.sessionId, at))
                    : Effect.void
                )
              : Effect.void
          )
        )
    )
    const logout = Effect.fn("Auth.logout")(function* (sessionId: string, refreshToken: string | undefined) {
      const at = yield* now
      yield* sessions.revoke(sessionId, at)
      if (refreshToken !== undefined) {
        const record = yield* sessions.findRefresh(signer.hashOpaque(refreshToken))
        if (Option.isSome(record)) yield* sessions.revoke(record.value.sessionId, at)
      }
    })

    const me = Effect.fn("Auth.me")(function* (accountId: AccountId) {
      const account = yield* accounts.findById(accountId)
      if (Option.isNone(account)) return yield* new Unauthenticated({ reason: "account gone" })
      const list = yield* orgs.listForAccount(accountId)
      return {
        account: account.value,
        memberships: list.map(({ org, role }) => ({ orgId: org.id, role, orgName: org.name }))
      }
    })

    const changePassword = (
      accountId: AccountId,
      sessionId: string,
      current: Redacted.Redacted<string>,
      next: Redacted.Redacted<string>
    ) =>
      Effect.gen(function* () {
        const account = yield* accounts.findById(accountId)
        if (Option.isNone(account)) return yield* new Unauthenticated({ reason: "account gone" })
        const stored = yield* accounts.findByLogin(account.value.username)
        const hash = Option.isSome(stored) ? stored.value.passwordHash : null
        if (hash === null || !(yield* hasher.verify(hash, current))) {
          return yield* new Unauthenticated({ reason: "wrong current password" })
        }
        yield* PasswordPolicy.check(Redacted.value(next), account.value)
        const nextHash = yield* hasher.hash(next)
        yield* transactor.withTransaction(
          Effect.gen(function* () {
            const at = yield* now
            yield* accounts.setPassword(accountId, nextHash)
            yield* sessions.revokeAll(accountId, at, sessionId)
            // A reset link asked for before the change must not undo it.
            yield* resets.closeAll(accountId, at)
          })
        )
      })

    const requestPasswordReset = (email: string) =>
      Effect.gen(function* () {
        const config = yield* IdentityConfig
        const account = yield* accounts.findByEmail(normalizeLogin(email))
        if (Option.isNone(account)) return
        const at = yield* now
        const id = yield* nextId(AccountId)
        const expiresAt = new Date(at.getTime() + Duration.toMillis(config.passwordResetTtl))
        yield* transactor.withTransaction(
          Effect.gen(function* () {
            yield* resets.insert({ id, accountId: account.value.id, expiresAt })
            // The link's token is signed at delivery from the row: the outbox holds no secret.
            yield* Outbox.send({ orgId: null, topic: resetRequestedTopic, payload: { resetId: id } })
          })
        )
      }).pipe(Effect.provide(context))

    const confirmPasswordReset = Effect.fn("Auth.confirmPasswordReset")(function* (
      token: string,
      password: Redacted.Redacted<string>
    ) {
      const claims = yield* signer.verifyPurpose(token, resetPurpose)
      const account = yield* accounts.findById(AccountId.make(claims.subject))
      if (Option.isNone(account)) return yield* new TokenInvalid({ purpose: resetPurpose })
      yield* PasswordPolicy.check(Redacted.value(password), account.value)
      const hash = yield* hasher.hash(password)
      yield* transactor.withTransaction(
        Effect.gen(function* () {
          const at = yield* now
          const used = yield* resets.use(claims.id, at)
          if (Option.isNone(used) || used.value !== account.value.id) {
            return yield* new TokenUsed({ purpose: resetPurpose })
          }
          yield* accounts.setPassword(account.value.id, hash)
          yield* sessions.revokeAll(account.value.id, at)
          // Other links requested before this one die with it: one reset, one new password.
          yield* resets.closeAll(account.value.id, at)
        })
      )
    })

    return Auth.of({
      register,
      login,
      refresh,
      logout,
      me,
      changePassword,
      requestPasswordReset,
      confirmPasswordReset
    })
  })
)
