/**
 * Where the response cache keeps answers and each org's generation: in this process (bounded,
 * least recently used first out, entries expire) or in Redis, shared by every server on it.
 *
 * A generation is an opaque token that changes on every write to its org; answers are kept under
 * the generations current when they were read, so a write makes every older answer unreachable
 * without finding and deleting it. Tokens are random, never counters: a generation lost from
 * Redis (evicted, flushed) comes back as a new token, never as one older answers were kept under.
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import { Effect, Option, Schema } from "effect"
import { Redis } from "effect/persistence"

/**
 * A kept answer, as a hit replays it. The memory store holds it as it is; only the Redis store
 * turns it into text, since only there does it leave the process.
 *
 * @since 0.1.0
 * @category models
 */
export const Kept = Schema.Struct({
  status: Schema.Int,
  headers: Schema.Record(Schema.String, Schema.String),
  contentType: Schema.String,
  body: Schema.Uint8Array
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Kept extends Schema.Schema.Type<typeof Kept> {}

/**
 * What a kept answer counts against the memory store's byte budget: its body, and the names and
 * values of its headers and content type.
 *
 * @since 0.1.0
 * @category rules
 */
export const sizeOf = (kept: Kept): number => {
  let size = kept.body.byteLength + kept.contentType.length
  for (const name in kept.headers) size += name.length + kept.headers[name]!.length
  return size
}

/**
 * The store could not answer (Redis unreachable); the caller goes without the cache.
 *
 * @since 0.1.0
 * @category models
 */
export type Failure = Redis.RedisError

/**
 * @since 0.1.0
 * @category models
 */
export interface CacheStore {
  /** True for a store in this process: it answers at once, so no call needs a timeout. */
  readonly inProcess: boolean
  /** The current generation of each key, made up on first use. */
  readonly generations: (keys: ReadonlyArray<string>) => Effect.Effect<ReadonlyArray<string>, Failure>
  /** Gives each key a new generation. */
  readonly bump: (keys: ReadonlyArray<string>) => Effect.Effect<void, Failure>
  /** The answer kept under `key`; a value that is not one (corrupt, foreign) is a miss. */
  readonly get: (key: string) => Effect.Effect<Kept | undefined, Failure>
  readonly set: (key: string, kept: Kept, ttlMillis: number) => Effect.Effect<void, Failure>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface MemoryLimits {
  /** Answers kept at most; the least recently used go first. */
  readonly maxEntries: number
  /** Bytes of answers kept at most, as counted by {@link sizeOf}. */
  readonly maxBytes: number
}

/**
 * A store in this process. Coherent for this process only: another server's writes reach it
 * through outbox deliveries, not at once (see docs/caching.md). Answers are kept as given and
 * handed back as kept, bytes included: neither side may change them.
 *
 * @since 0.1.0
 * @category constructors
 */
export const memory = (limits: MemoryLimits): CacheStore => {
  const generations = new Map<string, string>()
  // A Map iterates in insertion order: re-inserting on read makes the first key the least recent.
  const entries = new Map<string, { readonly kept: Kept; readonly size: number; readonly expires: number }>()
  let bytes = 0
  const remove = (key: string) => {
    const entry = entries.get(key)
    if (entry === undefined) return
    entries.delete(key)
    bytes -= entry.size
  }
  const generation = (key: string) => {
    const known = generations.get(key)
    if (known !== undefined) return known
    const made = randomUUID()
    generations.set(key, made)
    return made
  }
  return {
    inProcess: true,
    generations: (keys) => Effect.sync(() => keys.map(generation)),
    bump: (keys) =>
      Effect.sync(() => {
        for (const key of keys) generations.set(key, randomUUID())
      }),
    get: (key) =>
      Effect.sync(() => {
        const entry = entries.get(key)
        if (entry === undefined) return undefined
        remove(key)
        if (entry.expires <= Date.now()) return undefined
        entries.set(key, entry)
        bytes += entry.size
        return entry.kept
      }),
    set: (key, kept, ttlMillis) =>
      Effect.sync(() => {
        const size = sizeOf(kept)
        if (size > limits.maxBytes) return
        remove(key)
        entries.set(key, { kept, size, expires: Date.now() + ttlMillis })
        bytes += size
        for (const oldest of entries.keys()) {
          if (entries.size <= limits.maxEntries && bytes <= limits.maxBytes) break
          remove(oldest)
        }
      })
  }
}

// In Redis, JSON with the body in base64: text every server on the Redis reads, whatever its
// version. What comes back is checked like any input from outside the process.
const Stored = Schema.Struct({
  ...Kept.fields,
  body: Schema.String.check(Schema.isPattern(/^[A-Za-z0-9+/]*={0,2}$/))
})
const encodeStored = Schema.encodeSync(Schema.fromJsonString(Stored))
const decodeStored = Schema.decodeUnknownOption(Schema.fromJsonString(Stored))

// Node's base64 is native; Schema's Uint8Array codec decodes in JavaScript.
const serialize = (kept: Kept): string =>
  encodeStored({
    ...kept,
    body: Buffer.from(kept.body.buffer, kept.body.byteOffset, kept.body.byteLength).toString("base64")
  })

const deserialize = (value: string): Kept | undefined =>
  Option.match(decodeStored(value), {
    onNone: () => undefined,
    onSome: (stored) => ({ ...stored, body: Buffer.from(stored.body, "base64") })
  })

const redisStore = (redis: Redis.Redis["Service"], prefix: string): CacheStore => {
  const generationKey = (key: string) => `${prefix}gen:${key}`
  const read = (keys: ReadonlyArray<string>) =>
    redis.send<Array<string | null>>("MGET", ...keys.map(generationKey))
  return {
    inProcess: false,
    generations: (keys) =>
      Effect.gen(function* () {
        const found = yield* read(keys)
        if (found.every((value) => value !== null)) return found as ReadonlyArray<string>
        // Two servers may make one up at once: NX keeps the first, and both read it back.
        for (const [index, key] of keys.entries()) {
          if (found[index] === null) yield* redis.send("SET", generationKey(key), randomUUID(), "NX")
        }
        const made = yield* read(keys)
        return made.map((value) => value ?? randomUUID())
      }),
    bump: (keys) =>
      keys.length === 0
        ? Effect.void
        : redis.send("MSET", ...keys.flatMap((key) => [generationKey(key), randomUUID()])),
    get: (key) =>
      Effect.map(redis.send<string | null>("GET", `${prefix}entry:${key}`), (value) =>
        value === null ? undefined : deserialize(value)
      ),
    set: (key, kept, ttlMillis) =>
      Effect.asVoid(
        redis.send("SET", `${prefix}entry:${key}`, serialize(kept), "PX", String(Math.max(1, ttlMillis)))
      )
  }
}

/**
 * The store over a connected Redis, its keys under `prefix`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromRedis = (prefix: string): Effect.Effect<CacheStore, never, Redis.Redis> =>
  Effect.map(Effect.service(Redis.Redis), (client) => redisStore(client, prefix))
