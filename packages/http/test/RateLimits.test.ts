import { randomUUID } from "node:crypto"
import * as net from "node:net"
import { assert, describe, it } from "@effect/vitest"
import { Ids, RequestContext } from "@rota/core"
import { Context, Duration, Effect, Exit, Layer, Logger, Redacted, Schedule } from "effect"
import { HttpServerResponse } from "effect/http"
import { TestClock } from "effect/testing"
import * as RateLimits from "../src/server/edge/RateLimits.ts"
import { defaults, ServerConfig, type Settings } from "../src/server/ServerConfig.ts"
import { relay } from "./fixtures/RedisRelay.ts"

const redisUrl = process.env.ROTA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379"
// Every run (and every test) gets its own key space, so runs never see each other's counters;
// the keys expire by themselves within the one-minute window.
const runPrefix = `rota-test:${randomUUID()}:`
let prefixes = 0
const freshPrefix = () => `${runPrefix}${++prefixes}:`

const limits = { rateLimitAuth: 3, rateLimitApi: 5, rateLimitPublic: 4 }

const memoryLayer = (overrides: Partial<Settings> = {}) =>
  RateLimits.RateLimits.layer.pipe(
    Layer.provide(ServerConfig.layer({ ...defaults, ...limits, ...overrides }))
  )

const redisLayer = (overrides: Partial<Settings> = {}, keyPrefix = freshPrefix(), url = redisUrl) =>
  RateLimits.RateLimits.layerWith({ keyPrefix }).pipe(
    Layer.provide(ServerConfig.layer({ ...defaults, ...limits, redisUrl: Redacted.make(url), ...overrides }))
  )

const auth = (ip: string, login?: string) =>
  Effect.flatMap(Effect.service(RateLimits.RateLimits), (limiter) => limiter.auth({ ip, login }))

const signIn = (ip: string, account: string, knownDevice = false) =>
  Effect.flatMap(Effect.service(RateLimits.RateLimits), (limiter) =>
    limiter.signIn({ ip, account, knownDevice })
  )

const signInFailed = (account: string) =>
  Effect.flatMap(Effect.service(RateLimits.RateLimits), (limiter) => limiter.signInFailed(account))

const api = (accountId: string) =>
  Effect.flatMap(Effect.service(RateLimits.RateLimits), (limiter) => limiter.api(accountId))

const publicLink = (ip: string, token: string) =>
  Effect.flatMap(Effect.service(RateLimits.RateLimits), (limiter) => limiter.publicLink({ ip, token }))

const assertQuota = (quota: RateLimits.Quota | undefined, limit: number, remaining: number) => {
  assert.isDefined(quota)
  assert.strictEqual(quota?.limit, limit)
  assert.strictEqual(quota?.remaining, remaining)
  assert.isAbove(quota?.resetSeconds ?? 0, 0)
  assert.isAtMost(quota?.resetSeconds ?? 0, 60)
}

const assertRefused = (error: RateLimits.RateLimitExceeded, scope: RateLimits.Scope, limit: number) => {
  assert.strictEqual(error._tag, "RateLimitExceeded")
  assert.strictEqual(error.scope, scope)
  assert.isAbove(error.retryAfterSeconds, 0)
  assert.isAtMost(error.retryAfterSeconds, 60)
  assert.deepStrictEqual(error.quota, { limit, remaining: 0, resetSeconds: error.retryAfterSeconds })
}

const stores = [
  { name: "on the in-memory store", layer: memoryLayer },
  { name: "on the Redis store", layer: (overrides?: Partial<Settings>) => redisLayer(overrides) }
] as const

for (const store of stores) {
  describe(`RateLimits ${store.name}`, () => {
    it.live("allows N auth requests per client address, refuses the next with a retry time, not others", () =>
      Effect.gen(function* () {
        for (const remaining of [2, 1, 0]) assertQuota(yield* auth("198.51.100.1"), 3, remaining)
        assertRefused(yield* Effect.flip(auth("198.51.100.1")), "ip", 3)
        assertQuota(yield* auth("198.51.100.2"), 3, 2)
      }).pipe(Effect.provide(store.layer()))
    )

    it.live(
      "spends an account's sign-in quota on failures only, and a known device passes when it is spent",
      () =>
        Effect.gen(function* () {
          for (let i = 0; i < 5; i++) yield* signIn(`198.51.100.${40 + i}`, "account:a")
          for (let i = 0; i < 3; i++) yield* signInFailed("account:a")
          assertRefused(yield* Effect.flip(signIn("198.51.100.50", "account:a")), "login", 3)
          assertQuota(yield* signIn("198.51.100.51", "account:a", true), 3, 2)
          assertQuota(yield* signIn("198.51.100.52", "account:b"), 3, 2)
        }).pipe(Effect.provide(store.layer()))
    )

    it.live("allows N auth requests per login name from any address, refuses the next, not other names", () =>
      Effect.gen(function* () {
        for (const [index, remaining] of [2, 1, 0].entries()) {
          assertQuota(yield* auth(`198.51.100.${10 + index}`, "alice"), 3, remaining)
        }
        assertRefused(yield* Effect.flip(auth("198.51.100.20", "alice")), "login", 3)
        assertQuota(yield* auth("198.51.100.21", "bob"), 3, 2)
      }).pipe(Effect.provide(store.layer()))
    )

    it.live("counts login names case-insensitively and without surrounding spaces", () =>
      Effect.gen(function* () {
        yield* auth("198.51.100.30", "Alice@Example.com")
        yield* auth("198.51.100.31", "  alice@example.com ")
        yield* auth("198.51.100.32", "ALICE@EXAMPLE.COM")
        assertRefused(yield* Effect.flip(auth("198.51.100.33", "alice@example.com")), "login", 3)
      }).pipe(Effect.provide(store.layer()))
    )

    it.live("answers with the tighter of the address and login name quotas", () =>
      Effect.gen(function* () {
        yield* auth("198.51.100.40")
        assertQuota(yield* auth("198.51.100.40", "carol"), 3, 1)
        assertQuota(yield* auth("198.51.100.41", "carol"), 3, 1)
      }).pipe(Effect.provide(store.layer()))
    )

    it.live("spends no login name quota on requests from an address already refused", () =>
      Effect.gen(function* () {
        for (let i = 0; i < 3; i++) yield* auth("198.51.100.50")
        for (let i = 0; i < 5; i++) assertRefused(yield* Effect.flip(auth("198.51.100.50", "dave")), "ip", 3)
        assertQuota(yield* auth("198.51.100.51", "dave"), 3, 2)
      }).pipe(Effect.provide(store.layer()))
    )

    it.live("shares one quota across the /64 of an IPv6 client", () =>
      Effect.gen(function* () {
        yield* auth("2001:db8:1:2::1")
        yield* auth("2001:db8:1:2::2")
        yield* auth("2001:db8:1:2:ffff::9")
        assertRefused(yield* Effect.flip(auth("2001:db8:1:2::abcd")), "ip", 3)
        assertQuota(yield* auth("2001:db8:1:3::1"), 3, 2)
      }).pipe(Effect.provide(store.layer()))
    )

    it.live("allows N API requests per account, refuses the next, not other accounts", () =>
      Effect.gen(function* () {
        for (const remaining of [4, 3, 2, 1, 0]) assertQuota(yield* api("acc_1"), 5, remaining)
        assertRefused(yield* Effect.flip(api("acc_1")), "account", 5)
        assertQuota(yield* api("acc_2"), 5, 4)
      }).pipe(Effect.provide(store.layer()))
    )

    it.live("allows N public link requests per client address, refuses the next, not other addresses", () =>
      Effect.gen(function* () {
        for (const [index, remaining] of [3, 2, 1, 0].entries()) {
          assertQuota(yield* publicLink("198.51.100.90", `guess-${index}`), 4, remaining)
        }
        assertRefused(yield* Effect.flip(publicLink("198.51.100.90", "guess-4")), "public_ip", 4)
        assertQuota(yield* publicLink("198.51.100.91", "guess-5"), 4, 3)
      }).pipe(Effect.provide(store.layer()))
    )

    it.live("allows N requests per link token from any address, refuses the next, not other tokens", () =>
      Effect.gen(function* () {
        for (const [index, remaining] of [3, 2, 1, 0].entries()) {
          assertQuota(yield* publicLink(`198.51.100.${100 + index}`, "feed-1"), 4, remaining)
        }
        assertRefused(yield* Effect.flip(publicLink("198.51.100.110", "feed-1")), "public_token", 4)
        assertQuota(yield* publicLink("198.51.100.111", "feed-2"), 4, 3)
      }).pipe(Effect.provide(store.layer()))
    )

    it.live("keeps the public link and auth quotas of one address apart", () =>
      Effect.gen(function* () {
        for (let i = 0; i < 4; i++) yield* publicLink("198.51.100.120", `poll-${i}`)
        assertRefused(yield* Effect.flip(publicLink("198.51.100.120", "poll-4")), "public_ip", 4)
        assertQuota(yield* auth("198.51.100.120"), 3, 2)
        for (let i = 0; i < 3; i++) yield* auth("198.51.100.121")
        assertRefused(yield* Effect.flip(auth("198.51.100.121")), "ip", 3)
        assertQuota(yield* publicLink("198.51.100.121", "poll-5"), 4, 3)
      }).pipe(Effect.provide(store.layer()))
    )

    it.live("never refuses and reports no quota when a limit is 0", () =>
      Effect.gen(function* () {
        for (let i = 0; i < 20; i++) {
          assert.isUndefined(yield* auth("198.51.100.60", "erin"))
          assert.isUndefined(yield* api("acc_3"))
          assert.isUndefined(yield* publicLink("198.51.100.60", "feed-3"))
        }
      }).pipe(Effect.provide(store.layer({ rateLimitAuth: 0, rateLimitApi: 0, rateLimitPublic: 0 })))
    )

    it.live("keeps the auth and API limits apart when only one is off", () =>
      Effect.gen(function* () {
        for (let i = 0; i < 10; i++) assert.isUndefined(yield* auth("198.51.100.70", "frank"))
        assertQuota(yield* api("acc_4"), 5, 4)
      }).pipe(Effect.provide(store.layer({ rateLimitAuth: 0 })))
    )
  })
}

describe("RateLimits on the in-memory store", () => {
  it.effect("makes the quota whole again once the one-minute window has passed", () =>
    Effect.gen(function* () {
      for (let i = 0; i < 3; i++) yield* auth("198.51.100.80")
      const refused = yield* Effect.flip(auth("198.51.100.80"))
      assert.strictEqual(refused.retryAfterSeconds, 60)
      yield* TestClock.adjust("30 seconds")
      assertRefused(yield* Effect.flip(auth("198.51.100.80")), "ip", 3)
      yield* TestClock.adjust("31 seconds")
      assertQuota(yield* auth("198.51.100.80"), 3, 2)
    }).pipe(Effect.provide(memoryLayer()))
  )

  it.effect("keeps counters per server process: another layer starts from a full quota", () =>
    Effect.gen(function* () {
      for (let i = 0; i < 5; i++) yield* api("acc_5").pipe(Effect.provide(memoryLayer()))
      assertQuota(yield* api("acc_5").pipe(Effect.provide(memoryLayer())), 5, 4)
    })
  )
})

const freePort = Effect.promise(
  () =>
    new Promise<number>((resolve) => {
      const server = net.createServer()
      server.listen(0, "127.0.0.1", () => {
        const address = server.address()
        server.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
      })
    })
)

const recordWarnings = (warnings: Array<unknown>) =>
  Logger.layer([
    Logger.make((options) => {
      const message = Array.isArray(options.message) ? options.message[0] : options.message
      if (options.logLevel === "Warn" && String(message).startsWith("Rate-limit store unavailable")) {
        warnings.push(options.message)
      }
    })
  ])

describe("RateLimits on the Redis store", () => {
  it.live("shares counters between servers that use the same Redis and key prefix", () =>
    Effect.gen(function* () {
      const keyPrefix = freshPrefix()
      const first = Context.get(yield* Layer.build(redisLayer({}, keyPrefix)), RateLimits.RateLimits)
      const second = Context.get(yield* Layer.build(redisLayer({}, keyPrefix)), RateLimits.RateLimits)
      assert.notStrictEqual(first, second)
      assertQuota(yield* first.auth({ ip: "198.51.100.90", login: "grace" }), 3, 2)
      assertQuota(yield* second.auth({ ip: "198.51.100.90", login: "Grace" }), 3, 1)
      assertQuota(yield* first.auth({ ip: "198.51.100.90" }), 3, 0)
      assertRefused(yield* Effect.flip(second.auth({ ip: "198.51.100.90" })), "ip", 3)
      assertQuota(yield* first.auth({ ip: "198.51.100.91", login: "GRACE" }), 3, 0)
      assertRefused(yield* Effect.flip(second.auth({ ip: "198.51.100.92", login: "grace " })), "login", 3)
      for (let i = 0; i < 5; i++) yield* (i % 2 === 0 ? first : second).api("acc_6")
      assertRefused(yield* Effect.flip(first.api("acc_6")), "account", 5)
      assertRefused(yield* Effect.flip(second.api("acc_6")), "account", 5)
    })
  )

  it.live("keeps servers with different key prefixes apart", () =>
    Effect.gen(function* () {
      const first = Context.get(yield* Layer.build(redisLayer()), RateLimits.RateLimits)
      const second = Context.get(yield* Layer.build(redisLayer()), RateLimits.RateLimits)
      for (let i = 0; i < 5; i++) yield* first.api("acc_7")
      assertQuota(yield* second.api("acc_7"), 5, 4)
    })
  )

  it.live("fails open with one warning while Redis is unreachable, and limits again once it is back", () => {
    const warnings: Array<unknown> = []
    return Effect.gen(function* () {
      const redis = yield* relay(new URL(redisUrl))
      const limiter = Context.get(
        yield* Layer.build(redisLayer({ rateLimitApi: 2 }, freshPrefix(), redis.url)),
        RateLimits.RateLimits
      )
      assertQuota(yield* limiter.api("acc_8"), 2, 1)

      yield* redis.down
      for (let i = 0; i < 5; i++) assert.isUndefined(yield* limiter.api("acc_8"))
      assert.isUndefined(yield* limiter.auth({ ip: "198.51.100.100", login: "heidi" }))
      assert.strictEqual(warnings.length, 1)

      yield* redis.up
      const quota = yield* limiter.api("acc_9").pipe(
        Effect.filterOrFail((quota) => quota !== undefined),
        Effect.retry({ schedule: Schedule.spaced("100 millis"), times: 100 })
      )
      assertQuota(quota, 2, 1)
      // The count from before the outage survived in Redis.
      assertQuota(yield* limiter.api("acc_8"), 2, 0)
      assertRefused(yield* Effect.flip(limiter.api("acc_8")), "account", 2)
    }).pipe(Effect.provide(recordWarnings(warnings)))
  })

  it.live("fails open when Redis stops answering, within the store timeout", () => {
    const warnings: Array<unknown> = []
    return Effect.gen(function* () {
      const redis = yield* relay(new URL(redisUrl))
      const limiter = Context.get(
        yield* Layer.build(redisLayer({}, freshPrefix(), redis.url)),
        RateLimits.RateLimits
      )
      assertQuota(yield* limiter.api("acc_10"), 5, 4)
      yield* redis.stall
      const [elapsed, quota] = yield* Effect.timed(limiter.api("acc_10"))
      assert.isUndefined(quota)
      assert.isBelow(Duration.toMillis(elapsed), 2_000)
      assert.strictEqual(warnings.length, 1)
      // The worst case for shutdown: the link dies while a reply is still awaited.
      yield* redis.down
    }).pipe(Effect.provide(recordWarnings(warnings)))
  })

  it.live("refuses to start when Redis is configured but unreachable", () =>
    Effect.gen(function* () {
      const port = yield* freePort
      const exit = yield* Effect.exit(Layer.build(redisLayer({}, freshPrefix(), `redis://127.0.0.1:${port}`)))
      assert.isTrue(Exit.hasDies(exit))
    }).pipe(Effect.provide(recordWarnings([])))
  )
})

describe("rate-limit responses", () => {
  const quota: RateLimits.Quota = { limit: 30, remaining: 0, resetSeconds: 42 }

  it("headersFor states limit, remaining and reset in seconds", () => {
    assert.deepStrictEqual(RateLimits.headersFor({ limit: 30, remaining: 12, resetSeconds: 42 }), {
      "ratelimit-limit": "30",
      "ratelimit-remaining": "12",
      "ratelimit-reset": "42"
    })
  })

  it.effect("toResponse answers 429 problem+json with rate_limited, the request id and the headers", () =>
    Effect.gen(function* () {
      const error = new RateLimits.RateLimitExceeded({ scope: "ip", retryAfterSeconds: 42, quota })
      const requestId = yield* RequestContext.CurrentRequestId
      const response = HttpServerResponse.toWeb(RateLimits.toResponse(error, requestId))
      assert.strictEqual(response.status, 429)
      assert.strictEqual(response.headers.get("content-type"), "application/problem+json")
      assert.strictEqual(response.headers.get("retry-after"), "42")
      assert.strictEqual(response.headers.get("ratelimit-limit"), "30")
      assert.strictEqual(response.headers.get("ratelimit-remaining"), "0")
      assert.strictEqual(response.headers.get("ratelimit-reset"), "42")
      const body = yield* Effect.promise(() => response.json())
      assert.strictEqual(body.code, "rate_limited")
      assert.strictEqual(body.status, 429)
      assert.strictEqual(body.type, "urn:rota:problem:rate_limited")
      assert.strictEqual(body.requestId, "req-rate-1")
      assert.match(body.detail, /retry in 42 s/)
    }).pipe(Effect.provideService(RequestContext.CurrentRequestId, Ids.RequestId.make("req-rate-1")))
  )

  it.effect("toResponse renders the error the limiter actually raised", () =>
    Effect.gen(function* () {
      for (let i = 0; i < 5; i++) yield* api("acc_11")
      const error = yield* Effect.flip(api("acc_11"))
      const response = HttpServerResponse.toWeb(RateLimits.toResponse(error, "req-rate-2"))
      assert.strictEqual(response.status, 429)
      assert.strictEqual(response.headers.get("retry-after"), String(error.retryAfterSeconds))
      assert.strictEqual(response.headers.get("ratelimit-limit"), "5")
      assert.strictEqual(response.headers.get("ratelimit-remaining"), "0")
      const body = yield* Effect.promise(() => response.json())
      assert.strictEqual(body.requestId, "req-rate-2")
      assert.match(body.detail, /account/)
    }).pipe(Effect.provide(memoryLayer()))
  )
})
