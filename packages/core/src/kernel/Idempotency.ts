/**
 * Idempotency keys: a client that retries a request with the same `Idempotency-Key` gets the
 * first answer again instead of a second action. A key is scoped to org + account, binds one
 * request (method, path, canonical body), and lives 24 hours.
 *
 * @since 0.1.0
 */
import { Context, Data, DateTime, Duration, type Effect, Schema } from "effect"

/**
 * 1..255 printable ASCII characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Key = Schema.String.pipe(Schema.check(Schema.isPattern(/^[\x21-\x7e]{1,255}$/)))

/**
 * How long a key is remembered.
 *
 * @since 0.1.0
 * @category constants
 */
export const retention = Duration.hours(24)

/**
 * How long a claimed key counts as in progress; a server that died mid-request frees it after.
 *
 * @since 0.1.0
 * @category constants
 */
export const inFlightLease = Duration.seconds(60)

/**
 * Whose key it is.
 *
 * @since 0.1.0
 * @category models
 */
export interface Scope {
  readonly orgId: string
  readonly accountId: string
  readonly key: string
}

/**
 * A response kept for replay, byte for byte.
 *
 * @since 0.1.0
 * @category models
 */
export interface StoredResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

/**
 * What claiming a key found.
 *
 * @since 0.1.0
 * @category models
 */
export type Claim = Data.TaggedEnum<{
  /** The key is new (or its holder died): run the request. */
  Claimed: {}
  /** The same request already completed: answer its response again. */
  Replay: { readonly response: StoredResponse }
  /** The key was used for another request. */
  Mismatch: {}
  /** The same request is running right now. */
  InProgress: {}
}>

/**
 * @since 0.1.0
 * @category constructors
 */
export const Claim = Data.taggedEnum<Claim>()

/**
 * A key as stored.
 *
 * @since 0.1.0
 * @category models
 */
export interface KeyRecord {
  readonly fingerprint: string
  readonly response: StoredResponse | null
  readonly leaseUntil: DateTime.Utc
}

/**
 * The rule for a key that already exists.
 *
 * @since 0.1.0
 * @category rules
 */
export const decide = (existing: KeyRecord, fingerprint: string, now: DateTime.Utc): Claim => {
  if (existing.fingerprint !== fingerprint) return Claim.Mismatch()
  if (existing.response !== null) return Claim.Replay({ response: existing.response })
  return DateTime.isGreaterThan(existing.leaseUntil, now) ? Claim.InProgress() : Claim.Claimed()
}

/**
 * Only definitive answers are kept: a 5xx may succeed on retry, so it must run again.
 *
 * @since 0.1.0
 * @category rules
 */
export const isStorable = (status: number): boolean => status < 500

/**
 * JSON with object keys sorted at every depth, so two bodies that differ only in key order or
 * whitespace are the same request. Written with its own stack rather than recursion: a body is
 * fingerprinted before it is validated, and nesting deeper than the call stack must not crash it.
 *
 * @since 0.1.0
 * @category rules
 */
export const canonicalJson = (value: unknown): string => {
  const out: Array<string> = []
  // Work left to do, last first: a value still to write, or text to emit as it is.
  const stack: Array<{ readonly value: unknown } | string> = [{ value }]
  while (stack.length > 0) {
    const next = stack.pop()!
    if (typeof next === "string") {
      out.push(next)
      continue
    }
    const current = next.value
    if (Array.isArray(current)) {
      stack.push("]")
      for (let index = current.length - 1; index >= 0; index--) {
        stack.push({ value: current[index] })
        if (index > 0) stack.push(",")
      }
      stack.push("[")
    } else if (current !== null && typeof current === "object") {
      const entries = Object.entries(current)
        .filter(([, field]) => field !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      stack.push("}")
      for (let index = entries.length - 1; index >= 0; index--) {
        const [key, field] = entries[index]!
        stack.push({ value: field }, `${JSON.stringify(key)}:`)
        if (index > 0) stack.push(",")
      }
      stack.push("{")
    } else {
      out.push(JSON.stringify(current) ?? "null")
    }
  }
  return out.join("")
}

/**
 * The store of keys.
 *
 * @since 0.1.0
 * @category services
 */
export class IdempotencyStore extends Context.Service<
  IdempotencyStore,
  {
    /** Claims the key for `fingerprint`, or reports why not; commits on its own, at once. */
    readonly claim: (scope: Scope, fingerprint: string, now: DateTime.Utc) => Effect.Effect<Claim>
    /** Stores the answer; call it inside the transaction of the action it answers. */
    readonly complete: (scope: Scope, response: StoredResponse) => Effect.Effect<void>
    /** Forgets a claimed key whose request failed without a definitive answer. */
    readonly release: (scope: Scope) => Effect.Effect<void>
    /** Deletes keys older than the retention; answers how many. */
    readonly purgeExpired: (now: DateTime.Utc) => Effect.Effect<number>
  }
>()("@rota/core/IdempotencyStore") {}
