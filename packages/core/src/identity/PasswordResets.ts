/**
 * Changing a password (with the current one) and resetting it through a link sent to the
 * account's address. Either ends the account's other sessions and closes open reset links.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option, Redacted } from "effect"
import { Unauthenticated } from "../kernel/Errors.ts"
import { AccountId, nextId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import { normalizeLogin } from "./Account.ts"
import type { Deps } from "./AuthDeps.ts"
import { TokenInvalid, TokenUsed } from "./IdentityErrors.ts"
import type { PasswordResetRecord } from "./IdentityRepos.ts"
import * as PasswordPolicy from "./PasswordPolicy.ts"
import { TokenSigner } from "./TokenSigner.ts"

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
 * @category steps
 */
export const changePassword =
  (deps: Deps) =>
  (
    accountId: AccountId,
    sessionId: string,
    current: Redacted.Redacted<string>,
    next: Redacted.Redacted<string>
  ) =>
    Effect.gen(function* () {
      const account = yield* deps.accounts.findById(accountId)
      if (Option.isNone(account)) return yield* new Unauthenticated({ reason: "account gone" })
      const stored = yield* deps.accounts.findByLogin(account.value.username)
      const hash = Option.isSome(stored) ? stored.value.passwordHash : null
      if (hash === null || !(yield* deps.hasher.verify(hash, current))) {
        return yield* new Unauthenticated({ reason: "wrong current password" })
      }
      yield* PasswordPolicy.check(Redacted.value(next), account.value)
      const nextHash = yield* deps.hasher.hash(next)
      yield* deps.transactor.withTransaction(
        Effect.gen(function* () {
          const at = yield* DateTime.now
          yield* deps.accounts.setPassword(accountId, nextHash)
          yield* deps.sessions.revokeAll(accountId, at, sessionId)
          // A reset link asked for before the change must not undo it.
          yield* deps.resets.closeAll(accountId, at)
        })
      )
    })

/**
 * @since 0.1.0
 * @category steps
 */
export const requestPasswordReset = (deps: Deps) => (email: string) =>
  Effect.gen(function* () {
    const account = yield* deps.accounts.findByEmail(normalizeLogin(email))
    if (Option.isNone(account)) return
    const at = yield* DateTime.now
    const id = yield* nextId(AccountId)
    const expiresAt = DateTime.addDuration(at, deps.config.passwordResetTtl)
    yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        yield* deps.resets.insert({ id, accountId: account.value.id, expiresAt })
        // The link's token is signed at delivery from the row: the outbox holds no secret.
        yield* Outbox.send({ orgId: null, topic: resetRequestedTopic, payload: { resetId: id } })
      })
    )
  }).pipe(Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const confirmPasswordReset = (deps: Deps) =>
  Effect.fnUntraced(function* (token: string, password: Redacted.Redacted<string>) {
    const claims = yield* deps.signer.verifyPurpose(token, resetPurpose)
    const account = yield* deps.accounts.findById(AccountId.make(claims.subject))
    if (Option.isNone(account)) return yield* new TokenInvalid({ purpose: resetPurpose })
    yield* PasswordPolicy.check(Redacted.value(password), account.value)
    const hash = yield* deps.hasher.hash(password)
    yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const at = yield* DateTime.now
        const used = yield* deps.resets.use(claims.id, at)
        if (Option.isNone(used) || used.value !== account.value.id) {
          return yield* new TokenUsed({ purpose: resetPurpose })
        }
        yield* deps.accounts.setPassword(account.value.id, hash)
        yield* deps.sessions.revokeAll(account.value.id, at)
        // Other links requested before this one die with it: one reset, one new password.
        yield* deps.resets.closeAll(account.value.id, at)
      })
    )
  })
