/**
 * Request quotas: auth routes per client address and per login name (`ROTA_RATE_LIMIT_AUTH`),
 * the API per account (`ROTA_RATE_LIMIT_API`), the public link routes per client address and per
 * link token (`ROTA_RATE_LIMIT_PUBLIC`), all per minute. Counters live in Redis when
 * `REDIS_URL` is set, so every server behind a load balancer draws from the same quota, and in
 * this process otherwise.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { Context, Effect, Layer } from "effect"
import { HttpServerRespondable, HttpServerResponse } from "effect/http"
import { RateLimiter } from "effect/persistence"
import * as Problems from "../../api/Problems.ts"
import * as RedisClient from "../adapters/RedisClient.ts"
import { ServerConfig, type Settings } from "../ServerConfig.ts"
import { limitKey } from "./ClientAddress.ts"
import * as RateLimitCounters from "./RateLimitCounters.ts"
import type { Quota, RateLimitExceeded, Scope } from "./RateLimitQuota.ts"

/** @since 0.1.0 */
export * from "./RateLimitQuota.ts"

/**
 * Keys are namespaced so one Redis can hold several deployments (and test runs) apart.
 *
 * @since 0.1.0
 * @category models
 */
export interface Options {
  readonly keyPrefix?: string | undefined
}

const defaultKeyPrefix = "rota:ratelimit:"

const digest = (text: string): string => createHash("sha256").update(text).digest("base64url")

// Login names are often e-mail addresses: hashing keeps them out of Redis and bounds key size.
const loginKey = (login: string): string => digest(login.trim().toLowerCase())

const tighter = (a: Quota | undefined, b: Quota | undefined): Quota | undefined => {
  if (a === undefined) return b
  if (b === undefined) return a
  if (a.remaining !== b.remaining) return a.remaining < b.remaining ? a : b
  return a.resetSeconds >= b.resetSeconds ? a : b
}

const make = Effect.gen(function* () {
  const settings = yield* ServerConfig
  const counters = yield* RateLimitCounters.make(yield* RateLimiter.make)
  const take = (limit: number, scope: Scope, key: string) =>
    RateLimitCounters.take(counters, limit, scope, key)
  const failuresLeft = (key: string) => RateLimitCounters.failuresLeft(counters, settings.rateLimitAuth, key)

  return RateLimits.of({
    signIn: ({ ip, account, knownDevice }) =>
      Effect.gen(function* () {
        const byIp = yield* take(settings.rateLimitAuth, "ip", `auth:ip:${limitKey(ip)}`)
        // The owner's own browser, proven by the device cookie of an earlier sign-in, is not held
        // back by failures that others caused from elsewhere.
        if (knownDevice) return byIp
        return tighter(byIp, yield* failuresLeft(`auth:failures:${loginKey(account)}`))
      }),
    signInFailed: (account) =>
      take(settings.rateLimitAuth, "login", `auth:failures:${loginKey(account)}`).pipe(Effect.ignore),
    auth: ({ ip, login }) =>
      Effect.gen(function* () {
        // The address goes first: once it is refused, its requests stop spending the quotas of
        // the login names it tries.
        const byIp = yield* take(settings.rateLimitAuth, "ip", `auth:ip:${limitKey(ip)}`)
        if (login === undefined || login.trim().length === 0) return byIp
        const byLogin = yield* take(settings.rateLimitAuth, "login", `auth:login:${loginKey(login)}`)
        return tighter(byIp, byLogin)
      }),
    api: (accountId) => take(settings.rateLimitApi, "account", `api:account:${accountId}`),
    publicLink: ({ ip, token }) =>
      Effect.gen(function* () {
        // The address goes first, as on the auth routes: a guesser sends a new token each time, so
        // only the address quota slows it, and once refused it stops creating token counters.
        const byIp = yield* take(settings.rateLimitPublic, "public_ip", `public:ip:${limitKey(ip)}`)
        // A link is a secret: its counter is keyed by its hash, never the token itself.
        const byToken = yield* take(settings.rateLimitPublic, "public_token", `public:token:${digest(token)}`)
        return tighter(byIp, byToken)
      })
  })
})

const store = (settings: Settings, options: Options): Layer.Layer<RateLimiter.RateLimiterStore> =>
  settings.redisUrl === undefined
    ? RateLimiter.layerStoreMemory
    : RateLimiter.layerStoreRedis({ prefix: options.keyPrefix ?? defaultKeyPrefix }).pipe(
        Layer.provide(RedisClient.layer(settings.redisUrl))
      )

/**
 * @since 0.1.0
 * @category services
 */
export class RateLimits extends Context.Service<
  RateLimits,
  {
    /**
     * Auth routes: one token per client IP and one per login name (case-insensitive, trimmed)
     * when given. Fails when either is exhausted; `undefined` when the limit is off.
     */
    readonly auth: (keys: {
      readonly ip: string
      readonly login?: string | undefined
    }) => Effect.Effect<Quota | undefined, RateLimitExceeded>
    /**
     * A sign-in: one token per client IP, and refused while the account (a resolved account id,
     * or the login name when none matches) has no failed attempts left, unless the request
     * comes from a device that signed in to it before.
     */
    readonly signIn: (keys: {
      readonly ip: string
      readonly account: string
      readonly knownDevice: boolean
    }) => Effect.Effect<Quota | undefined, RateLimitExceeded>
    /** Counts a failed sign-in against the account. */
    readonly signInFailed: (account: string) => Effect.Effect<void>
    /** Every authenticated API request: one token per account; `undefined` when the limit is off. */
    readonly api: (accountId: string) => Effect.Effect<Quota | undefined, RateLimitExceeded>
    /**
     * A public link route (a calendar feed, an intake form): one token per client IP and one per
     * link token, apart from the auth quotas, so pollers and sign-ins at one address never spend
     * each other's; `undefined` when the limit is off.
     */
    readonly publicLink: (keys: {
      readonly ip: string
      readonly token: string
    }) => Effect.Effect<Quota | undefined, RateLimitExceeded>
  }
>()("@rota/http/RateLimits") {
  /**
   * Counters in Redis when `redisUrl` is set, else in this process. Dies at start-up when Redis
   * is configured but unreachable; once running, an unreachable Redis fails open.
   *
   * @since 0.1.0
   */
  static readonly layerWith = (options: Options): Layer.Layer<RateLimits, never, ServerConfig> =>
    Layer.unwrap(
      Effect.map(Effect.service(ServerConfig), (settings) =>
        Layer.effect(RateLimits, make).pipe(Layer.provide(store(settings, options)))
      )
    )

  /**
   * {@link RateLimits.layerWith} with the default key prefix.
   *
   * @since 0.1.0
   */
  static readonly layer: Layer.Layer<RateLimits, never, ServerConfig> = RateLimits.layerWith({})
}

/**
 * The `RateLimit-*` headers of a quota (IETF draft "RateLimit header fields for HTTP").
 *
 * @since 0.1.0
 * @category responses
 */
export const headersFor = (quota: Quota): Record<string, string> => ({
  "ratelimit-limit": String(quota.limit),
  "ratelimit-remaining": String(Math.max(0, quota.remaining)),
  "ratelimit-reset": String(quota.resetSeconds)
})

const detailOf = (error: RateLimitExceeded): string => {
  const wait = `retry in ${error.retryAfterSeconds} s`
  switch (error.scope) {
    case "ip":
      return `Too many sign-in requests from this address; ${wait}`
    case "login":
      return `Too many attempts for this account; ${wait}`
    case "account":
      return `Too many requests for this account; ${wait}`
    case "public_ip":
      return `Too many requests from this address; ${wait}`
    case "public_token":
      return `Too many requests for this link; ${wait}`
  }
}

/**
 * The 429 problem answer of a refused request, with `Retry-After` and the `RateLimit-*` headers.
 *
 * @since 0.1.0
 * @category responses
 */
export const toResponse = (
  error: RateLimitExceeded,
  requestId: string
): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.setHeaders(
    // Problems encode synchronously and cannot fail: their fields are plain strings.
    Effect.runSync(
      HttpServerRespondable.toResponse(new Problems.RateLimited({ requestId, detail: detailOf(error) }))
    ),
    { ...headersFor(error.quota), "retry-after": String(error.retryAfterSeconds) }
  )
