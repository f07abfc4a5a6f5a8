/**
 * Spending and reading the fixed-window counters of the rate limits, failing open when their
 * store does not answer.
 *
 * @since 0.1.0
 */
import { Clock, Duration, Effect, Ref } from "effect"
import type { RateLimiter } from "effect/persistence"
import { type Quota, RateLimitExceeded, type Scope } from "./RateLimitQuota.ts"

const window = Duration.minutes(1)
// Local Redis answers in well under a millisecond; a store this slow is as good as down, and
// requests must not queue behind it.
const storeTimeout = Duration.millis(500)
// An outage would otherwise log one warning per request.
const warningIntervalMillis = 10_000

const secondsOf = (duration: Duration.Duration): number =>
  Math.max(1, Math.ceil(Duration.toSeconds(duration)))

/**
 * The counters of one rate-limits service.
 *
 * @since 0.1.0
 * @category models
 */
export interface Counters {
  readonly limiter: RateLimiter.RateLimiter
  /** The time of the last store-outage warning, so an outage warns once in a while. */
  readonly lastWarning: Ref.Ref<number>
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = (limiter: RateLimiter.RateLimiter): Effect.Effect<Counters> =>
  Effect.map(Ref.make(Number.NEGATIVE_INFINITY), (lastWarning) => ({ limiter, lastWarning }))

// Fail open: a Redis outage must not turn into an outage of the whole API (every request a
// 500) or lock every user out. For its duration the limits are off, which costs brute-force
// protection for minutes, not availability; the warning makes it visible to operators.
const failOpen = (counters: Counters, scope: Scope, cause: unknown) =>
  Effect.gen(function* () {
    const now = yield* Clock.currentTimeMillis
    const last = yield* Ref.get(counters.lastWarning)
    if (now - last >= warningIntervalMillis) {
      yield* Ref.set(counters.lastWarning, now)
      yield* Effect.logWarning("Rate-limit store unavailable; allowing requests without a limit", {
        scope,
        cause
      })
    }
    return undefined
  })

/**
 * Spends one token of the quota `key` (`limit` per minute; 0 or less: no limit, `undefined`).
 *
 * @since 0.1.0
 * @category counters
 */
export const take = (
  counters: Counters,
  limit: number,
  scope: Scope,
  key: string
): Effect.Effect<Quota | undefined, RateLimitExceeded> =>
  limit <= 0
    ? Effect.succeed(undefined)
    : counters.limiter.consume({ algorithm: "fixed-window", onExceeded: "fail", window, limit, key }).pipe(
        Effect.map((result): Quota | undefined => ({
          limit: result.limit,
          remaining: result.remaining,
          resetSeconds: secondsOf(result.resetAfter)
        })),
        Effect.timeoutOrElse({
          duration: storeTimeout,
          orElse: () => failOpen(counters, scope, `no answer within ${Duration.format(storeTimeout)}`)
        }),
        Effect.catch((error) => {
          const reason = error.reason
          if (reason._tag === "RateLimitStoreError")
            return failOpen(counters, scope, reason.cause ?? reason.message)
          const retryAfterSeconds = secondsOf(reason.retryAfter)
          return Effect.fail(
            new RateLimitExceeded({
              scope,
              retryAfterSeconds,
              quota: { limit: reason.limit, remaining: 0, resetSeconds: retryAfterSeconds }
            })
          )
        })
      )

/**
 * How many failed sign-ins an account has left: read without spending (0 tokens). Only failures
 * are spent (see `RateLimits.signInFailed`), so a correct password never locks its own account.
 *
 * @since 0.1.0
 * @category counters
 */
export const failuresLeft = (
  counters: Counters,
  limit: number,
  key: string
): Effect.Effect<Quota | undefined, RateLimitExceeded> =>
  limit <= 0
    ? Effect.succeed(undefined)
    : counters.limiter
        .consume({ algorithm: "fixed-window", onExceeded: "fail", window, limit, key, tokens: 0 })
        .pipe(
          Effect.timeoutOrElse({
            duration: storeTimeout,
            orElse: () => failOpen(counters, "login", `no answer within ${Duration.format(storeTimeout)}`)
          }),
          Effect.catch((error) =>
            error.reason._tag === "RateLimitStoreError"
              ? failOpen(counters, "login", error.reason.cause ?? error.reason.message)
              : Effect.succeed(undefined)
          ),
          Effect.flatMap((result) => {
            if (result === undefined) return Effect.succeed(undefined)
            const quota = {
              limit: result.limit,
              remaining: result.remaining,
              resetSeconds: secondsOf(result.resetAfter)
            }
            return quota.remaining > 0
              ? Effect.succeed(quota)
              : Effect.fail(
                  new RateLimitExceeded({
                    scope: "login",
                    retryAfterSeconds: quota.resetSeconds,
                    quota: { ...quota, remaining: 0 }
                  })
                )
          })
        )
