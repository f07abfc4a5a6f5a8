/**
 * Identifiers: every entity id is a branded UUIDv7 (time-ordered, so indexes stay compact and
 * keyset pagination by id follows creation order).
 *
 * @since 0.1.0
 */
import { Clock, Context, Effect, Layer, Schema } from "effect"

/**
 * A UUID of any version, as it arrives on the wire.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Uuid = Schema.String.pipe(Schema.check(Schema.isUUID()))

/**
 * Whether a value is a UUID: ids from paths and tokens that are not name no row, and must not
 * reach SQL as a uuid syntax error.
 *
 * @since 0.1.0
 * @category ids
 */
export const isUuid = Schema.is(Uuid)

/** @since 0.1.0 @category ids */
export const OrgId = Uuid.pipe(Schema.brand("OrgId"))
/** @since 0.1.0 @category ids */
export type OrgId = typeof OrgId.Type

/** @since 0.1.0 @category ids */
export const AccountId = Uuid.pipe(Schema.brand("AccountId"))
/** @since 0.1.0 @category ids */
export type AccountId = typeof AccountId.Type

/**
 * An API key: in the kernel because a key, like an account, can act (and be named as the actor).
 *
 * @since 0.1.0
 * @category ids
 */
export const ApiKeyId = Uuid.pipe(Schema.brand("ApiKeyId"))
/** @since 0.1.0 @category ids */
export type ApiKeyId = typeof ApiKeyId.Type

/**
 * Correlates logs, audit events and problem responses of one request. Accepted from clients when
 * it is 1..128 characters of `[A-Za-z0-9._:-]`, otherwise generated.
 *
 * @since 0.1.0
 * @category ids
 */
export const RequestId = Schema.String.pipe(
  Schema.check(Schema.isPattern(/^[A-Za-z0-9._:-]{1,128}$/)),
  Schema.brand("RequestId")
)
/** @since 0.1.0 @category ids */
export type RequestId = typeof RequestId.Type

// Each byte's two hex digits.
const hexOf = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, "0"))

/**
 * Formats a UUIDv7 (RFC 9562) from a millisecond timestamp and 10 random bytes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const formatUuidV7 = (millis: number, random: Uint8Array): string => {
  const bytes = new Uint8Array(16)
  let ts = Math.max(0, Math.floor(millis))
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ts % 256
    ts = Math.floor(ts / 256)
  }
  bytes.set(random.subarray(0, 10), 6)
  bytes[6] = (bytes[6]! & 0x0f) | 0x70
  bytes[8] = (bytes[8]! & 0x3f) | 0x80
  // A table of byte spellings: every write mints several ids, and this runs on each.
  let text = ""
  for (let i = 0; i < 16; i++) {
    if (i === 4 || i === 6 || i === 8 || i === 10) text += "-"
    text += hexOf[bytes[i]!]
  }
  return text
}

// Random bytes are drawn a pool at a time: one `getRandomValues` call costs 10-15 us whatever
// its size (ten times the formatting of an id), and every write mints several ids.
const poolSize = 4096
const idBytes = 10

const randomSource = () => {
  const pool = new Uint8Array(poolSize)
  let offset = poolSize
  return (): Uint8Array => {
    if (offset + idBytes > poolSize) {
      globalThis.crypto.getRandomValues(pool)
      offset = 0
    }
    const bytes = pool.slice(offset, offset + idBytes)
    offset += idBytes
    return bytes
  }
}

/**
 * The port that mints identifiers, so the core never calls `randomUUID` itself and tests can
 * make ids deterministic.
 *
 * @since 0.1.0
 * @category services
 */
export class Ids extends Context.Service<
  Ids,
  {
    /** A fresh UUIDv7 whose timestamp comes from the Effect `Clock`. */
    readonly next: Effect.Effect<string>
  }
>()("@rota/core/Ids") {
  /**
   * UUIDv7 from the `Clock` and the platform's Web Crypto random source (Node and browsers).
   * Ids minted by one process are strictly increasing: within a millisecond the 12 bits after
   * the timestamp count up (RFC 9562, method 1), so creation order is id order.
   *
   * @since 0.1.0
   */
  static readonly layer = Layer.sync(Ids, () => {
    const randomBytes = randomSource()
    let lastMillis = -1
    let counter = 0
    return Ids.of({
      next: Effect.map(Clock.currentTimeMillis, (now) => {
        const random = randomBytes()
        if (now > lastMillis) {
          lastMillis = now
          // Start low in the counter's range, leaving room to count up within the millisecond.
          counter = random[0]! & 0x07
        } else if (++counter > 0x0fff) {
          lastMillis++
          counter = 0
        }
        random[0] = (counter >> 8) & 0x0f
        random[1] = counter & 0xff
        return formatUuidV7(lastMillis, random)
      })
    })
  })

  /**
   * Deterministic ids for tests: the `Clock` time plus a counter, so ids still sort by creation.
   *
   * @since 0.1.0
   */
  static readonly layerTest = Layer.sync(Ids, () => {
    let counter = 0
    return Ids.of({
      next: Effect.map(Clock.currentTimeMillis, (millis) => {
        counter++
        const random = new Uint8Array(10)
        new DataView(random.buffer).setUint32(6, counter)
        return formatUuidV7(millis, random)
      })
    })
  })
}

/**
 * Mints a fresh id of the given branded schema, e.g. `Ids.nextId(BookingId)`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const nextId = <S extends Schema.Top & { readonly make: (input: string) => S["Type"] }>(
  schema: S
): Effect.Effect<S["Type"], never, Ids> =>
  Effect.flatMap(Effect.service(Ids), (ids) => Effect.map(ids.next, (id) => schema.make(id)))
