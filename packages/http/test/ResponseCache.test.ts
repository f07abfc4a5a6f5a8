import { randomUUID } from "node:crypto"
import { afterAll, assert, describe, it, layer } from "@effect/vitest"
import { Context, Duration, Effect, Layer, Redacted } from "effect"
import { HttpServerResponse } from "effect/http"
import { Redis } from "effect/persistence"
import { createClient } from "redis"
import * as RedisClient from "../src/server/adapters/RedisClient.ts"
import { ResponseCache } from "../src/server/edge/ResponseCache.ts"
import { defaults, ServerConfig } from "../src/server/ServerConfig.ts"
import { TestServer } from "../src/testing.ts"
import { createProject } from "./fixtures/Crews.ts"
import { addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { createTag } from "./fixtures/Inventory.ts"
import { relay } from "./fixtures/RedisRelay.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }
type Page = { readonly items: ReadonlyArray<{ readonly id: string; readonly name: string }> }

const get = (org: Org, path: string, headers: Record<string, string> = {}) =>
  call("GET", path, { token: org.token, orgId: org.orgId, headers })

const namesIn = (answer: { readonly json: unknown }) =>
  body<Page>(answer as never)
    .items.map((item) => item.name)
    .sort()

type Answer = { readonly status: number; readonly headers: Headers; readonly text: string }

// Headers every answer makes afresh, kept or not.
const ownHeaders = new Set(["date", "x-cache", "x-request-id", "connection", "keep-alive"])

/** A hit is the miss it replays, to the byte: status, every header it kept, content type, body. */
const assertReplays = (hit: Answer, miss: Answer) => {
  assert.strictEqual(hit.headers.get("x-cache"), "HIT")
  assert.strictEqual(hit.status, miss.status)
  assert.strictEqual(hit.text, miss.text)
  const kept = (answer: Answer) => [...answer.headers].filter(([name]) => !ownHeaders.has(name))
  assert.deepStrictEqual(kept(hit), kept(miss))
  assert.strictEqual(hit.headers.get("content-type"), "application/json")
}

const redisUrl = process.env.ROTA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379"
// This run's keys only, removed afterwards.
const keyPrefix = `rota-test:response-cache:${randomUUID()}:`

afterAll(async () => {
  const client = createClient({ url: redisUrl })
  await client.connect()
  for await (const keys of client.scanIterator({ MATCH: `${keyPrefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await client.del(keys)
  }
  await client.quit()
})

/** Runs `effect` with a Redis connection of its own, beside the server's. */
const withRedis = <A, E>(effect: Effect.Effect<A, E, Redis.Redis>) =>
  Effect.provide(effect, RedisClient.layer(Redacted.make(redisUrl)))

for (const store of Stores.stores()) {
  describe(`response cache (${store.name})`, () => {
    layer(TestServer.layer(store.layer, { cache: "memory" }), { timeout: 90_000, excludeTestServices: true })(
      "in memory",
      (it) => {
        it.effect(
          "a list misses, then hits with the same body; a write makes the next read miss with the new body",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner("cache")
              yield* createTag(owner, "alpha")
              const first = yield* get(owner, "/v1/tags")
              const second = yield* get(owner, "/v1/tags")
              assert.strictEqual(first.status, 200)
              assert.strictEqual(first.headers.get("x-cache"), "MISS")
              assert.strictEqual(second.headers.get("x-cache"), "HIT")
              assert.strictEqual(second.text, first.text)
              // Browsers still keep nothing, hit or miss.
              assert.strictEqual(second.headers.get("cache-control"), "no-store")

              yield* createTag(owner, "beta")
              const afterWrite = yield* get(owner, "/v1/tags")
              assert.strictEqual(afterWrite.headers.get("x-cache"), "MISS")
              assert.deepStrictEqual(namesIn(afterWrite), ["alpha", "beta"])
              const again = yield* get(owner, "/v1/tags")
              assert.strictEqual(again.headers.get("x-cache"), "HIT")
              assert.deepStrictEqual(namesIn(again), ["alpha", "beta"])
            })
        )

        it.effect("a hit replays the miss byte for byte, hit after hit", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("cache")
            // Text outside ASCII: a body kept as bytes must come back as the same bytes.
            yield* createTag(owner, "café ✓ 東京")
            yield* createTag(owner, "plain")
            const miss = yield* get(owner, "/v1/tags")
            assert.strictEqual(miss.headers.get("x-cache"), "MISS")
            assert.include(miss.text, "café ✓ 東京")
            for (let round = 0; round < 3; round++) assertReplays(yield* get(owner, "/v1/tags"), miss)
          })
        )

        it.effect("the query's order does not matter, its values do", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("cache")
            yield* createTag(owner)
            assert.strictEqual(
              (yield* get(owner, "/v1/tags?limit=5&sort=name")).headers.get("x-cache"),
              "MISS"
            )
            assert.strictEqual(
              (yield* get(owner, "/v1/tags?sort=name&limit=5")).headers.get("x-cache"),
              "HIT"
            )
            assert.strictEqual(
              (yield* get(owner, "/v1/tags?sort=name&limit=6")).headers.get("x-cache"),
              "MISS"
            )
          })
        )

        it.effect("two orgs asking for the same paths never get each other's answers", () =>
          Effect.gen(function* () {
            const first = yield* registerOwner("cache-a")
            const second = yield* registerOwner("cache-b")
            yield* createTag(first, "only-in-a")
            yield* createTag(second, "only-in-b")
            let crossHits = 0
            for (let round = 0; round < 3; round++) {
              for (const [org, own, other] of [
                [first, "only-in-a", "only-in-b"],
                [second, "only-in-b", "only-in-a"]
              ] as const) {
                const answer = yield* get(org, "/v1/tags")
                assert.strictEqual(answer.status, 200)
                assert.deepStrictEqual(namesIn(answer), [own])
                if (answer.text.includes(other)) crossHits++
                assert.strictEqual(answer.headers.get("x-cache"), round === 0 ? "MISS" : "HIT")
              }
            }
            assert.strictEqual(crossHits, 0)
            // Each org's own record route too: the org's name is in its answer only.
            const orgA = yield* get(first, "/v1/org")
            const orgB = yield* get(second, "/v1/org")
            assert.notStrictEqual(body<{ id: string }>(orgA).id, body<{ id: string }>(orgB).id)
            assert.strictEqual(body<{ id: string }>(yield* get(second, "/v1/org")).id, second.orgId)
          })
        )

        it.effect("a write bumps its own org only: another org's kept answers still hit", () =>
          Effect.gen(function* () {
            const writer = yield* registerOwner("cache-w")
            const reader = yield* registerOwner("cache-r")
            yield* createTag(reader, "kept")
            assert.strictEqual((yield* get(reader, "/v1/tags")).headers.get("x-cache"), "MISS")
            yield* createTag(writer, "elsewhere")
            const after = yield* get(reader, "/v1/tags")
            assert.strictEqual(after.headers.get("x-cache"), "HIT")
            assert.deepStrictEqual(namesIn(after), ["kept"])
          })
        )

        it.effect("two roles whose answers differ never share one", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("cache")
            const technician = yield* addMember(owner, "technician")
            const project = yield* createProject(owner)
            const path = `/v1/projects/${project.id}`
            const cost = (answer: { readonly json: unknown }) =>
              body<{ estimatedCost: unknown }>(answer as never).estimatedCost
            const ownerFirst = yield* get(owner, path)
            const technicianFirst = yield* get(technician, path)
            assert.strictEqual(ownerFirst.headers.get("x-cache"), "MISS")
            assert.strictEqual(technicianFirst.headers.get("x-cache"), "MISS")
            assert.notStrictEqual(cost(ownerFirst), null)
            assert.strictEqual(cost(technicianFirst), null)
            const ownerAgain = yield* get(owner, path)
            const technicianAgain = yield* get(technician, path)
            assert.strictEqual(ownerAgain.headers.get("x-cache"), "HIT")
            assert.strictEqual(technicianAgain.headers.get("x-cache"), "HIT")
            assert.strictEqual(ownerAgain.text, ownerFirst.text)
            assert.strictEqual(technicianAgain.text, technicianFirst.text)
          })
        )

        it.effect("a kept answer keeps its ETag: If-None-Match answers 304 on a hit", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("cache")
            const first = yield* get(owner, "/v1/org")
            const etag = first.headers.get("etag")!
            assert.isNotNull(etag)
            const hit = yield* get(owner, "/v1/org")
            assert.strictEqual(hit.headers.get("x-cache"), "HIT")
            assert.strictEqual(hit.headers.get("etag"), etag)
            const unchanged = yield* get(owner, "/v1/org", { "if-none-match": etag })
            assert.strictEqual(unchanged.status, 304)
          })
        )

        it.effect("private routes are never kept: notifications and the caller's own settings", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("cache")
            for (const path of ["/v1/notifications", "/v1/me/notification-preferences", "/v1/audit"]) {
              yield* get(owner, path)
              const answer = yield* get(owner, path)
              assert.strictEqual(answer.status, 200, path)
              assert.isNull(answer.headers.get("x-cache"), path)
            }
          })
        )

        it.effect("hit and miss latency of one list (printed, not asserted)", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner("cache")
            for (let index = 0; index < 20; index++) yield* createTag(owner)
            const rounds = 50
            const timed = (path: string) =>
              Effect.gen(function* () {
                const started = performance.now()
                const answer = yield* get(owner, path)
                return { ms: performance.now() - started, cache: answer.headers.get("x-cache") }
              })
            const misses: Array<number> = []
            const hits: Array<number> = []
            for (let index = 0; index < rounds; index++) {
              // A new limit is a new key: a miss every time.
              const miss = yield* timed(`/v1/tags?limit=${index + 50}`)
              assert.strictEqual(miss.cache, "MISS")
              misses.push(miss.ms)
              const hit = yield* timed(`/v1/tags?limit=${index + 50}`)
              assert.strictEqual(hit.cache, "HIT")
              hits.push(hit.ms)
            }
            const median = (values: Array<number>) =>
              values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!
            console.log(
              `response cache (${store.name}), GET /v1/tags with 20 tags, ${rounds} each: ` +
                `miss median ${median(misses).toFixed(2)} ms, hit median ${median(hits).toFixed(2)} ms`
            )
          })
        )
      }
    )

    layer(
      // Hits are asserted: 2 s, not 250 ms, before a slow Redis call (a loaded machine) turns one
      // into a miss. The timeout itself is the last test's subject.
      TestServer.layer(store.layer, {
        cache: "redis",
        redisUrl: Redacted.make(redisUrl),
        cacheKeyPrefix: `${keyPrefix}${store.name}:`,
        cacheStoreTimeoutMillis: 2_000
      }),
      { timeout: 90_000, excludeTestServices: true }
    )("in Redis", (it) => {
      const entries = withRedis(
        Effect.flatMap(Effect.service(Redis.Redis), (redis) =>
          redis.send<Array<string>>("KEYS", `${keyPrefix}${store.name}:entry:*`)
        )
      )

      it.effect("a list misses, then hits byte for byte from Redis", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner("cache")
          yield* createTag(owner, "café ✓ 東京")
          const miss = yield* get(owner, "/v1/tags")
          assert.strictEqual(miss.headers.get("x-cache"), "MISS")
          for (let round = 0; round < 2; round++) assertReplays(yield* get(owner, "/v1/tags"), miss)
          yield* createTag(owner, "beta")
          const afterWrite = yield* get(owner, "/v1/tags")
          assert.strictEqual(afterWrite.headers.get("x-cache"), "MISS")
          assert.deepStrictEqual(namesIn(afterWrite), ["beta", "café ✓ 東京"])
        })
      )

      it.effect("a value in Redis that is not a kept answer is a miss, then the answer is kept again", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner("cache")
          yield* createTag(owner, "kept")
          const before = new Set(yield* entries)
          const miss = yield* get(owner, "/v1/tags?limit=7")
          assert.strictEqual(miss.headers.get("x-cache"), "MISS")
          const added = (yield* entries).filter((key) => !before.has(key))
          assert.strictEqual(added.length, 1)
          for (const corrupt of [
            "not json",
            '{"status":200}', // The right shape, but a body that is not base64.
            '{"status":200,"headers":{},"contentType":"application/json","body":"@@"}'
          ]) {
            yield* withRedis(
              Effect.flatMap(Effect.service(Redis.Redis), (redis) =>
                redis.send("SET", added[0]!, corrupt, "PX", "30000")
              )
            )
            const again = yield* get(owner, "/v1/tags?limit=7")
            assert.strictEqual(again.status, 200)
            assert.strictEqual(again.headers.get("x-cache"), "MISS", corrupt)
            assert.strictEqual(again.text, miss.text)
          }
          // The last miss wrote a kept answer over the corrupt one.
          assertReplays(yield* get(owner, "/v1/tags?limit=7"), miss)
        })
      )
    })
  })
}

describe("response cache on a Redis that stops answering", () => {
  it.live("answers from the route within the store timeout, as a miss", () =>
    Effect.gen(function* () {
      const redis = yield* relay(new URL(redisUrl))
      const config = ServerConfig.layer({
        ...defaults,
        cache: "redis",
        redisUrl: Redacted.make(redis.url),
        cacheKeyPrefix: `${keyPrefix}stall:`
      })
      const cache = Context.get(yield* Layer.build(Layer.provide(ResponseCache.layer, config)), ResponseCache)
      let runs = 0
      const route = Effect.sync(() => {
        runs++
        return HttpServerResponse.text('{"items":[]}', { contentType: "application/json" })
      })
      const ask = Effect.provide(
        cache.cached({ orgId: "org_stall", role: "owner", accountId: "acc_stall" }, "/v1/tags", route),
        config
      )
      assert.strictEqual((yield* ask).headers["x-cache"], "MISS")
      assert.strictEqual((yield* ask).headers["x-cache"], "HIT")
      assert.strictEqual(runs, 1)
      yield* redis.stall
      const [elapsed, answer] = yield* Effect.timed(ask)
      assert.strictEqual(answer.headers["x-cache"], "MISS")
      assert.strictEqual(runs, 2)
      assert.isBelow(Duration.toMillis(elapsed), 2_000)
      // The worst case for shutdown: the link dies while a reply is still awaited.
      yield* redis.down
    })
  )
})
