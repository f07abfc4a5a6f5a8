/**
 * The response cache: GET answers of tenant routes kept under keys made of the org, the org's
 * generation, who may share the answer (see `CachePolicy`) and the request target, and served
 * again with `X-Cache: HIT` until a write changes the org's generation.
 * What makes a generation change is in `CacheInvalidation`. Generations live in the store, so
 * with Redis every server sees a bump at once.
 *
 * @since 0.1.0
 */
import { hash } from "node:crypto"
import { Context, Duration, Effect, Layer } from "effect"
import { HttpServerResponse } from "effect/http"
import * as RedisClient from "../adapters/RedisClient.ts"
import { ServerConfig } from "../ServerConfig.ts"
import * as CachePolicy from "./CachePolicy.ts"
import * as CacheStore from "./CacheStore.ts"

/**
 * Who asks: an answer is shared with callers of the same org and role, or of the same account too.
 *
 * @since 0.1.0
 * @category models
 */
export interface Caller {
  readonly orgId: string
  readonly role: string
  readonly accountId: string
}

/**
 * @since 0.1.0
 * @category services
 */
export class ResponseCache extends Context.Service<
  ResponseCache,
  {
    /** The kept answer to this GET, or `run`'s answer, kept when it can be. */
    readonly cached: <E, R>(
      caller: Caller,
      url: string,
      run: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
    ) => Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
    /** Makes every kept answer of these orgs (`*`: of all orgs) unreachable. */
    readonly invalidate: (orgIds: ReadonlyArray<string>) => Effect.Effect<void>
  }
>()("@rota/http/ResponseCache") {
  /**
   * The cache `ServerConfig` asks for (`cache`, `redisUrl`).
   *
   * @since 0.1.0
   */
  static readonly layer: Layer.Layer<ResponseCache, never, ServerConfig> = Layer.unwrap(
    Effect.map(Effect.service(ServerConfig), (settings) => {
      const mode = settings.cache ?? (settings.redisUrl === undefined ? "memory" : "redis")
      if (mode === "off") return Layer.succeed(ResponseCache, off)
      if (mode === "memory" || settings.redisUrl === undefined) {
        const store = CacheStore.memory({ maxEntries: settings.cacheMaxEntries, maxBytes: maxMemoryBytes })
        return Layer.effect(ResponseCache, make(store))
      }
      return Layer.effect(
        ResponseCache,
        Effect.flatMap(CacheStore.fromRedis(settings.cacheKeyPrefix), make)
      ).pipe(Layer.provide(RedisClient.layer(settings.redisUrl)))
    })
  )
}

/**
 * The key standing for every org: a write that names none renews it, and every answer is kept
 * under its generation too.
 *
 * @since 0.1.0
 * @category constants
 */
export const everyOrg = "*"

const off: ResponseCache["Service"] = { cached: (_caller, _url, run) => run, invalidate: () => Effect.void }

const maxMemoryBytes = 64 * 1024 * 1024
// Only complete JSON answers are kept; `set-cookie` never is, whatever the route. The body is
// copied once, here: the response's bytes may be a slice of a buffer Node shares between
// allocations, which would both outlive and escape the byte budget.
const keep = (response: HttpServerResponse.HttpServerResponse): CacheStore.Kept | undefined =>
  response.status === 200 &&
  response.body._tag === "Uint8Array" &&
  response.headers["set-cookie"] === undefined
    ? {
        status: response.status,
        headers: Object.fromEntries(
          Object.entries(response.headers).filter(([name]) => name !== "content-length")
        ),
        contentType: response.body.contentType,
        body: new Uint8Array(response.body.body)
      }
    : undefined

// Every hit shares the kept bytes, uncopied: nothing writes to a response's body once it is
// made (Node sends it as it is), and the headers are copied into the response's own.
const replay = (kept: CacheStore.Kept): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.uint8Array(kept.body, {
    status: kept.status,
    headers: kept.headers,
    contentType: kept.contentType
  })

// The target is hashed: a query may carry search text, which has no business in Redis keys, and
// in memory a key stays a few dozen characters whatever the URL. One-shot `hash` makes no Hash
// object, at less than half the cost of `createHash` on a URL.
const keyOf = (
  caller: Caller,
  sharing: CachePolicy.Sharing,
  generations: ReadonlyArray<string>,
  target: string
) => {
  const who = sharing === "role" ? `role:${caller.role}` : `account:${caller.accountId}:${caller.role}`
  const digest = hash("sha256", target, "base64url")
  return `${caller.orgId}:${generations.join(":")}:${who}:${digest}`
}

// A store in this process answers before any timer could fire: racing each call against one
// (two fibers and a timer per call) would cost a hit more than the store itself does. Local
// Redis answers in well under a millisecond; slower than the timeout, it is as good as down, and
// requests must not queue behind it.
const boundedBy =
  (store: CacheStore.CacheStore, timeout: Duration.Duration) =>
  <A>(effect: Effect.Effect<A, CacheStore.Failure>): Effect.Effect<A, CacheStore.Failure | string> =>
    store.inProcess
      ? effect
      : Effect.timeoutOrElse(effect, {
          duration: timeout,
          orElse: () => Effect.fail(`no answer within ${Duration.format(timeout)}`)
        })

const make = Effect.fnUntraced(function* (store: CacheStore.CacheStore) {
  const settings = yield* ServerConfig
  const ttlMillis = settings.cacheTtlSeconds * 1000
  let failing = false
  // Bumps that could not reach the store: retried before this server reads from it again.
  const pending = new Set<string>()

  const bounded = boundedBy(store, Duration.millis(settings.cacheStoreTimeoutMillis))

  // Without a store the API answers as if there were no cache: one warning per outage.
  const guarded = <A>(effect: Effect.Effect<A, CacheStore.Failure>): Effect.Effect<A | undefined> =>
    bounded(effect).pipe(
      Effect.tap(() => {
        if (!failing) return Effect.void
        failing = false
        return Effect.logInfo("Response cache store reachable again")
      }),
      Effect.catch((cause) => {
        if (failing) return Effect.undefined
        failing = true
        return Effect.as(
          Effect.logWarning("Response cache store unavailable; answering without it", cause),
          undefined
        )
      })
    )

  const flushPending = Effect.suspend(() => {
    if (pending.size === 0) return Effect.succeed(true)
    const keys = [...pending]
    return Effect.map(guarded(Effect.as(store.bump(keys), true)), (done) => {
      if (done) for (const key of keys) pending.delete(key)
      return done === true
    })
  })

  const invalidate = (orgIds: ReadonlyArray<string>) =>
    Effect.suspend(() => {
      for (const orgId of orgIds) pending.add(orgId)
      return Effect.asVoid(flushPending)
    })

  const cached = <E, R>(
    caller: Caller,
    url: string,
    run: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
  ): Effect.Effect<HttpServerResponse.HttpServerResponse, E, R> =>
    Effect.gen(function* () {
      const { path, target } = CachePolicy.normalizedTarget(url)
      const sharing = CachePolicy.sharingOf(path)
      if (sharing === "none") return yield* run
      const miss = HttpServerResponse.setHeader("x-cache", "MISS")
      // A bump this server could not write yet means the store may hold answers it made stale.
      if (!(yield* flushPending)) return miss(yield* run)
      // Read before the answer: a write committing meanwhile bumps past it, so what `run` reads
      // is kept under a generation nobody asks for again, never served as current.
      const generations = yield* guarded(store.generations([caller.orgId, everyOrg]))
      if (generations === undefined) return miss(yield* run)
      const key = keyOf(caller, sharing, generations, target)
      const hit = yield* guarded(store.get(key))
      if (hit !== undefined) return HttpServerResponse.setHeader(replay(hit), "x-cache", "HIT")
      const response = yield* run
      const kept = keep(response)
      if (kept !== undefined) yield* guarded(store.set(key, kept, ttlMillis))
      return miss(response)
    })

  return ResponseCache.of({ cached, invalidate })
})
