/**
 * Every authenticated request resolves its session (and the caller's role in the org it names);
 * this keeps the answers in the process, so a caller's second request costs no statement. It is
 * only as fresh as the database says: the cache is used while the process listens to
 * {@link AuthChanges.AuthChanges}, an entry is dropped when a change names its session, account
 * or org, and it is forgotten whole when the subscription is lost. Entries also expire after
 * {@link timeToLive}, a backstop for a change missed while a dropped connection went unnoticed.
 *
 * @since 0.1.0
 */
import { IdentityRepos } from "@rota/core"
import { Duration, Effect, Layer, Option, Schedule } from "effect"
import * as AuthChanges from "./AuthChanges.ts"

/**
 * At most this many resolved sessions are kept; the oldest goes first.
 *
 * @since 0.1.0
 * @category constants
 */
export const capacity = 10_000

/**
 * How long an entry is used at most.
 *
 * @since 0.1.0
 * @category constants
 */
export const timeToLive = Duration.seconds(30)

interface Entry {
  readonly sessionId: string
  readonly orgId: string | undefined
  readonly state: IdentityRepos.SessionState
  readonly expiresAt: number
}

const keyOf = (sessionId: string, orgId: string | undefined) => `${sessionId} ${orgId ?? ""}`

/**
 * How long this process distrusts what it kept about a session, account or org it is changing
 * itself: the database's notification arrives on another connection, possibly after this
 * process has answered the write and received the caller's next request.
 *
 * @since 0.1.0
 * @category constants
 */
export const distrustFor = Duration.seconds(5)

// Shared by every cache of the process (a test process may run several servers): distrusting
// more than needed only costs lookups.
const distrusted = new Map<string, number>()

const isDistrusted = (payload: string, now: number) => {
  const until = distrusted.get(payload)
  if (until === undefined) return false
  if (until > now) return true
  distrusted.delete(payload)
  return false
}

const trusts = (sessionId: string, accountId: string | undefined, orgId: string | undefined, now: number) =>
  distrusted.size === 0 ||
  !(
    isDistrusted(`s:${sessionId}`, now) ||
    (accountId !== undefined && isDistrusted(`a:${accountId}`, now)) ||
    (orgId !== undefined && isDistrusted(`o:${orgId}`, now))
  )

/**
 * Called by the repositories before they change what a session resolves to (a revocation, a
 * membership, an org's settings): for {@link distrustFor}, this process resolves the sessions
 * concerned from the database and keeps nothing about them. Other processes learn of the
 * change from its notification.
 *
 * @since 0.1.0
 * @category invalidation
 */
export const distrust = (change: AuthChanges.AuthChange): Effect.Effect<void> =>
  Effect.sync(() => {
    const payload =
      change._tag === "Session"
        ? `s:${change.sessionId}`
        : change._tag === "Account"
          ? `a:${change.accountId}`
          : `o:${change.orgId}`
    distrusted.set(payload, Date.now() + Duration.toMillis(distrustFor))
  })

/** The entries and what guards them: mutated only by the request fibers and the listener. */
class Entries {
  readonly entries = new Map<string, Entry>()
  /** Bumped by every change heard: a lookup that overlapped one does not store its answer. */
  generation = 0
  live = false

  get(key: string, now: number): Entry | undefined {
    const entry = this.entries.get(key)
    if (entry === undefined || entry.expiresAt > now) return entry
    this.entries.delete(key)
    return undefined
  }

  put(key: string, entry: Entry): void {
    this.entries.delete(key)
    if (this.entries.size >= capacity) {
      const oldest = this.entries.keys().next()
      if (oldest.done !== true) this.entries.delete(oldest.value)
    }
    this.entries.set(key, entry)
  }

  forget(change: AuthChanges.AuthChange | undefined): void {
    this.generation++
    if (change === undefined) {
      this.entries.clear()
      return
    }
    for (const [key, entry] of this.entries) {
      const named =
        change._tag === "Session"
          ? entry.sessionId === change.sessionId
          : change._tag === "Account"
            ? entry.state.accountId === change.accountId
            : entry.orgId === change.orgId
      if (named) this.entries.delete(key)
    }
  }

  setLive(live: boolean): void {
    this.live = live
    this.forget(undefined)
  }
}

// Listens for as long as the layer lives: caches while subscribed, resubscribes a second after
// losing the subscription (resolving from the database meanwhile).
const follow = (changes: AuthChanges.AuthChanges["Service"], cache: Entries) =>
  Effect.scoped(
    Effect.gen(function* () {
      const next = yield* changes.listen
      cache.setLive(true)
      return yield* Effect.forever(Effect.map(next, (payload) => cache.forget(AuthChanges.parse(payload))))
    })
  ).pipe(
    Effect.ensuring(Effect.sync(() => cache.setLive(false))),
    Effect.tapError((error) =>
      Effect.logWarning("Not listening to session changes; sessions are resolved from the database", error)
    ),
    Effect.retry(Schedule.spaced(Duration.seconds(1)))
  )

/**
 * Wraps the `SessionRepo` it is given: `resolve` answers from the cache when it can. With no
 * `AuthChanges` in the context (a store that cannot notify), every call goes to the database.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<IdentityRepos.SessionRepo, never, IdentityRepos.SessionRepo> = Layer.effect(
  IdentityRepos.SessionRepo,
  Effect.gen(function* () {
    const inner = yield* IdentityRepos.SessionRepo
    const changes = yield* Effect.serviceOption(AuthChanges.AuthChanges)
    if (Option.isNone(changes)) return inner
    const cache = new Entries()
    yield* Effect.forkScoped(follow(changes.value, cache))
    return IdentityRepos.SessionRepo.of({
      ...inner,
      resolve: (sessionId, orgId) =>
        Effect.suspend(() => {
          const key = keyOf(sessionId, orgId)
          const cached = cache.live ? cache.get(key, Date.now()) : undefined
          if (cached !== undefined && trusts(sessionId, cached.state.accountId, orgId, Date.now()))
            return Effect.succeedSome(cached.state)
          const generation = cache.generation
          return Effect.tap(inner.resolve(sessionId, orgId), (state) =>
            Effect.sync(() => {
              // Refusals are not kept: they are rare, and a revoked session stays revoked anyway.
              const kept =
                Option.isSome(state) &&
                cache.live &&
                cache.generation === generation &&
                trusts(sessionId, state.value.accountId, orgId, Date.now())
              if (kept) {
                cache.put(key, {
                  sessionId,
                  orgId,
                  state: (state as Option.Some<IdentityRepos.SessionState>).value,
                  expiresAt: Date.now() + Duration.toMillis(timeToLive)
                })
              }
            })
          )
        })
    })
  })
)
