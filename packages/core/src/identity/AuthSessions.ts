/**
 * Sessions and their tokens: a session started at login answers an access token and a refresh
 * token; refreshing rotates the refresh token, and a rotated one coming back ends the session.
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Effect, Option, Schema } from "effect"
import { Unauthenticated } from "../kernel/Errors.ts"
import { AccountId, nextId } from "../kernel/Ids.ts"
import type { Deps } from "./AuthDeps.ts"

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

const answer = Effect.fnUntraced(function* (
  deps: Deps,
  refreshToken: string,
  sessionId: string,
  accountId: AccountId,
  issuedAt: DateTime.Utc
) {
  const access = yield* deps.signer.issueAccess({ accountId, sessionId }, issuedAt)
  return {
    accessToken: access.token,
    refreshToken,
    tokenType: "Bearer" as const,
    expiresIn: access.expiresIn
  }
})

const storeAndAnswer = Effect.fnUntraced(function* (
  deps: Deps,
  refresh: { readonly token: string; readonly hash: string },
  sessionId: string,
  accountId: AccountId,
  at: DateTime.Utc
) {
  yield* deps.sessions.addRefresh({
    hash: refresh.hash,
    sessionId,
    accountId,
    expiresAt: DateTime.addDuration(at, deps.config.refreshTtl)
  })
  return yield* answer(deps, refresh.token, sessionId, accountId, at)
})

/**
 * A new session of the account and its first tokens, in the caller's transaction.
 *
 * @since 0.1.0
 * @category steps
 */
export const startSession = Effect.fnUntraced(function* (deps: Deps, accountId: AccountId) {
  const id = yield* nextId(AccountId)
  yield* deps.sessions.create({ id, accountId, at: yield* DateTime.now })
  const refresh = yield* deps.signer.opaque
  return yield* storeAndAnswer(deps, refresh, id, accountId, yield* DateTime.now)
})

// The rotation itself, in the transaction that locked the token's row.
const rotate = Effect.fnUntraced(function* (deps: Deps, refreshToken: string) {
  const hash = deps.signer.hashOpaque(refreshToken)
  const record = yield* deps.sessions.lockRefresh(hash)
  if (Option.isNone(record)) return yield* new Unauthenticated({ reason: "unknown refresh token" })
  const at = yield* DateTime.now
  const { sessionId, accountId, expiresAt, sessionRevoked, usedAt, successorHash } = record.value
  if (sessionRevoked || !DateTime.isGreaterThan(expiresAt, at)) {
    return yield* new Unauthenticated({ reason: "session ended" })
  }
  const successor = deps.signer.successorOf(refreshToken)
  if (usedAt === null) {
    if (!(yield* deps.sessions.useRefresh(hash, at, successor.hash))) {
      return yield* new Unauthenticated({ reason: "refresh token reuse" })
    }
    return yield* storeAndAnswer(deps, successor, sessionId, accountId, at)
  }
  const inGrace =
    DateTime.toEpochMillis(at) - DateTime.toEpochMillis(usedAt) <
    Duration.toMillis(deps.config.refreshReuseGrace)
  // A successor already rotated in turn means this token is older than the latest one.
  const next =
    successorHash === successor.hash ? yield* deps.sessions.findRefresh(successor.hash) : Option.none()
  if (inGrace && Option.isSome(next) && next.value.usedAt === null) {
    return yield* answer(deps, successor.token, sessionId, accountId, usedAt)
  }
  return yield* new Unauthenticated({ reason: "refresh token reuse" })
})

/**
 * Rotation with a grace period (OAuth 2.0 Security BCP, refresh token rotation): a client
 * that sends one token several times at once (tabs, retries after a lost answer) must not
 * lose its session, but a token coming back later is a stolen copy.
 *
 * The successor of a token is not random but keyed from it (`successorOf`, an HMAC under
 * the signing key, which is not in the database), and the access token is signed with the
 * rotation's instant as `iat`: a replay within the grace computes the very pair the first
 * use answered, so that pair is never stored, only the successor's hash, as for any token.
 * The token's row is locked first, so concurrent uses (on any server) run one after the
 * other: the first rotates, the others see `used_at` and replay.
 *
 * @since 0.1.0
 * @category steps
 */
export const refresh = (deps: Deps) => (refreshToken: string) =>
  deps.transactor.withTransaction(rotate(deps, refreshToken)).pipe(
    // A rotated token came back: someone holds a copy, so the whole session ends. The
    // request fails and its transaction rolls back, so the revocation commits on its own.
    Effect.tapError((error) =>
      error.reason === "refresh token reuse"
        ? Effect.flatMap(deps.sessions.findRefresh(deps.signer.hashOpaque(refreshToken)), (record) =>
            Option.isSome(record)
              ? Effect.flatMap(DateTime.now, (at) => deps.sessions.revoke(record.value.sessionId, at))
              : Effect.void
          )
        : Effect.void
    )
  )

/**
 * @since 0.1.0
 * @category steps
 */
export const logout = (deps: Deps) =>
  Effect.fnUntraced(function* (sessionId: string, refreshToken: string | undefined) {
    const at = yield* DateTime.now
    yield* deps.sessions.revoke(sessionId, at)
    if (refreshToken !== undefined) {
      const record = yield* deps.sessions.findRefresh(deps.signer.hashOpaque(refreshToken))
      if (Option.isSome(record)) yield* deps.sessions.revoke(record.value.sessionId, at)
    }
  })
