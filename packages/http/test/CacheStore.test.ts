import { randomUUID } from "node:crypto"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { Redis } from "effect/persistence"
import { createClient } from "redis"
import * as RedisClient from "../src/server/adapters/RedisClient.ts"
import * as CacheStore from "../src/server/edge/CacheStore.ts"

const redisUrl = process.env.ROTA_TEST_REDIS_URL ?? "redis://127.0.0.1:6379"
// Every test gets its own key space, removed afterwards (generations never expire by themselves).
const runPrefix = `rota-test:cache-store:${randomUUID()}:`
let prefixes = 0
const freshPrefix = () => `${runPrefix}${++prefixes}:`

afterAll(async () => {
  const client = createClient({ url: redisUrl })
  await client.connect()
  for await (const keys of client.scanIterator({ MATCH: `${runPrefix}*`, COUNT: 1000 })) {
    if (keys.length > 0) await client.del(keys)
  }
  await client.quit()
})

const ttl = 60_000

const answer = (body: Uint8Array | string, headers: Record<string, string> = {}): CacheStore.Kept => ({
  status: 200,
  headers: { etag: '"abc"', "cache-control": "no-store", ...headers },
  contentType: "application/json",
  body: typeof body === "string" ? new TextEncoder().encode(body) : body
})

// Every byte value, and UTF-8 text outside ASCII: what base64 or JSON could get wrong.
const awkward = answer(
  Uint8Array.from({ length: 512 }, (_, index) => index % 256),
  {
    "x-note": "naïve café ✓"
  }
)

const assertSame = (actual: CacheStore.Kept | undefined, expected: CacheStore.Kept) => {
  assert.isDefined(actual)
  assert.strictEqual(actual!.status, expected.status)
  assert.deepStrictEqual(actual!.headers, expected.headers)
  assert.strictEqual(actual!.contentType, expected.contentType)
  assert.deepStrictEqual([...actual!.body], [...expected.body])
}

describe("CacheStore.memory", () => {
  it.effect("keeps an answer as it was given: status, headers, content type and every byte", () =>
    Effect.gen(function* () {
      const store = CacheStore.memory({ maxEntries: 10, maxBytes: 1024 * 1024 })
      yield* store.set("k", awkward, ttl)
      assertSame(yield* store.get("k"), awkward)
      // Read again: a hit leaves the kept answer as it was.
      assertSame(yield* store.get("k"), awkward)
      assert.isUndefined(yield* store.get("other"))
    })
  )

  it.effect("drops the least recently used answer past maxEntries; a read makes an answer recent", () =>
    Effect.gen(function* () {
      const store = CacheStore.memory({ maxEntries: 2, maxBytes: 1024 * 1024 })
      yield* store.set("a", answer("a"), ttl)
      yield* store.set("b", answer("b"), ttl)
      yield* store.get("a")
      yield* store.set("c", answer("c"), ttl)
      assert.isDefined(yield* store.get("a"))
      assert.isUndefined(yield* store.get("b"))
      assert.isDefined(yield* store.get("c"))
    })
  )

  it.effect("counts body bytes, header names and values and the content type against maxBytes", () =>
    Effect.gen(function* () {
      const bare = (body: string): CacheStore.Kept => ({
        status: 200,
        headers: {},
        contentType: "",
        body: new TextEncoder().encode(body)
      })
      assert.strictEqual(CacheStore.sizeOf(bare("x".repeat(100))), 100)
      assert.strictEqual(CacheStore.sizeOf(answer("é")), 2 + 4 + 5 + 13 + 8 + 16)
      // Three 100-byte answers fit in 300 bytes; a fourth pushes the least recent out.
      const store = CacheStore.memory({ maxEntries: 100, maxBytes: 300 })
      for (const key of ["a", "b", "c"]) yield* store.set(key, bare("x".repeat(100)), ttl)
      for (const key of ["a", "b", "c"]) assert.isDefined(yield* store.get(key), key)
      yield* store.set("d", bare("y".repeat(100)), ttl)
      assert.isUndefined(yield* store.get("a"))
      for (const key of ["b", "c", "d"]) assert.isDefined(yield* store.get(key), key)
      // One answer bigger than the whole budget is not kept, and pushes nothing out.
      yield* store.set("huge", bare("z".repeat(301)), ttl)
      assert.isUndefined(yield* store.get("huge"))
      for (const key of ["b", "c", "d"]) assert.isDefined(yield* store.get(key), key)
      // Replacing an answer counts its new size only: 250 bytes leave room for nothing else.
      yield* store.set("d", bare("w".repeat(250)), ttl)
      assert.isUndefined(yield* store.get("b"))
      assert.isUndefined(yield* store.get("c"))
      assert.strictEqual(new TextDecoder().decode((yield* store.get("d"))!.body), "w".repeat(250))
    })
  )

  it.live("forgets an answer once its time to live is over", () =>
    Effect.gen(function* () {
      const store = CacheStore.memory({ maxEntries: 10, maxBytes: 1024 })
      yield* store.set("short", answer("short"), 20)
      yield* store.set("long", answer("long"), ttl)
      assert.isDefined(yield* store.get("short"))
      yield* Effect.sleep("40 millis")
      assert.isUndefined(yield* store.get("short"))
      assert.isDefined(yield* store.get("long"))
    })
  )

  it.effect("generations are made up once and changed by a bump, one key at a time", () =>
    Effect.gen(function* () {
      const store = CacheStore.memory({ maxEntries: 10, maxBytes: 1024 })
      const [a, b] = yield* store.generations(["a", "b"])
      assert.deepStrictEqual(yield* store.generations(["a", "b"]), [a!, b!])
      yield* store.bump(["a"])
      const [a2, b2] = yield* store.generations(["a", "b"])
      assert.notStrictEqual(a2, a)
      assert.strictEqual(b2, b)
    })
  )
})

describe("CacheStore on Redis", () => {
  const withRedis = <A, E>(
    body: (
      store: CacheStore.CacheStore,
      redis: Redis.Redis["Service"],
      prefix: string
    ) => Effect.Effect<A, E, Redis.Redis>
  ) =>
    Effect.gen(function* () {
      const prefix = freshPrefix()
      const store = yield* CacheStore.fromRedis(prefix)
      const redis = yield* Redis.Redis
      return yield* body(store, redis, prefix)
    }).pipe(Effect.provide(RedisClient.layer(Redacted.make(redisUrl))))

  it.live("round-trips an answer byte for byte, as JSON with a base64 body, expiring with its TTL", () =>
    withRedis((store, redis, prefix) =>
      Effect.gen(function* () {
        yield* store.set("k", awkward, ttl)
        assertSame(yield* store.get("k"), awkward)
        // The form every server on this Redis reads, whatever its version.
        const raw = yield* redis.send<string>("GET", `${prefix}entry:k`)
        const parsed = JSON.parse(raw) as { body: string; headers: Record<string, string> }
        assert.strictEqual(parsed.body, Buffer.from(awkward.body).toString("base64"))
        assert.deepStrictEqual(parsed.headers, awkward.headers)
        const pttl = yield* redis.send<number>("PTTL", `${prefix}entry:k`)
        assert.isAbove(pttl, 0)
        assert.isAtMost(pttl, ttl)
        assert.isUndefined(yield* store.get("missing"))
      })
    )
  )

  it.live("a value that is not a kept answer is a miss, never a failure", () =>
    withRedis((store, redis, prefix) =>
      Effect.gen(function* () {
        const kept = JSON.parse(
          JSON.stringify({ ...awkward, body: Buffer.from(awkward.body).toString("base64") })
        ) as Record<string, unknown>
        const corrupt = [
          "",
          "not json",
          JSON.stringify(kept).slice(0, -10),
          "null",
          "[]",
          JSON.stringify({ ...kept, status: "200" }),
          JSON.stringify({ ...kept, status: 200.5 }),
          JSON.stringify({ ...kept, headers: { etag: 1 } }),
          JSON.stringify({ ...kept, contentType: undefined }),
          JSON.stringify({ ...kept, body: "not base64!" }),
          JSON.stringify({ ...kept, body: undefined })
        ]
        for (const [index, value] of corrupt.entries()) {
          yield* redis.send("SET", `${prefix}entry:bad${index}`, value)
          assert.isUndefined(yield* store.get(`bad${index}`), value)
        }
        // A valid value next to them still reads.
        yield* redis.send("SET", `${prefix}entry:good`, JSON.stringify(kept))
        assertSame(yield* store.get("good"), awkward)
      })
    )
  )

  it.live("generations are shared by every store on the same prefix and changed by a bump", () =>
    withRedis((store, _redis, prefix) =>
      Effect.gen(function* () {
        const other = yield* CacheStore.fromRedis(prefix)
        const [a, b] = yield* store.generations(["a", "b"])
        assert.deepStrictEqual(yield* other.generations(["a", "b"]), [a!, b!])
        yield* other.bump(["a"])
        const [a2, b2] = yield* store.generations(["a", "b"])
        assert.notStrictEqual(a2, a)
        assert.strictEqual(b2, b)
      })
    )
  )
})
