/**
 * The transactional outbox: a message is written in the same transaction as the change that
 * causes it, and delivered after commit by a job, so no notification is ever sent for a change
 * that rolled back, and none is lost for one that committed.
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Duration, Effect, Layer, Schema } from "effect"
import { type Ids, nextId, OrgId } from "./Ids.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const OutboxMessageId = Schema.String.pipe(
  Schema.check(Schema.isUUID()),
  Schema.brand("OutboxMessageId")
)
/** @since 0.1.0 @category ids */
export type OutboxMessageId = typeof OutboxMessageId.Type

/**
 * @since 0.1.0
 * @category models
 */
export class OutboxMessage extends Schema.Class<OutboxMessage>("@rota/core/OutboxMessage")({
  id: OutboxMessageId,
  orgId: Schema.NullOr(OrgId),
  /** What happened, dotted: `auth.password_reset_requested`, `booking.approved`, ... */
  topic: Schema.String,
  payload: Schema.Json,
  createdAt: Schema.DateTimeUtc,
  /** Delivery attempts so far. */
  attempts: Schema.Int
}) {}

/**
 * The store behind the outbox.
 *
 * @since 0.1.0
 * @category services
 */
export class Outbox extends Context.Service<
  Outbox,
  {
    /** Writes a message inside the caller's transaction. */
    readonly enqueue: (message: OutboxMessage) => Effect.Effect<void>
    /**
     * Leases up to `limit` due messages until `leaseUntil`, so concurrent deliverers never take
     * the same one, and a crashed deliverer's lease simply runs out.
     */
    readonly lease: (
      limit: number,
      now: DateTime.Utc,
      leaseUntil: DateTime.Utc
    ) => Effect.Effect<ReadonlyArray<OutboxMessage>>
    readonly markDelivered: (id: OutboxMessageId, at: DateTime.Utc) => Effect.Effect<void>
    readonly markFailed: (id: OutboxMessageId, error: string, retryAt: DateTime.Utc) => Effect.Effect<void>
    /** Deletes messages delivered before `before`; answers how many. */
    readonly purgeDelivered: (before: DateTime.Utc) => Effect.Effect<number>
  }
>()("@rota/core/Outbox") {}

/**
 * A transport failed to deliver a message; it will be retried with backoff.
 *
 * @since 0.1.0
 * @category errors
 */
export class DeliveryFailed extends Schema.TaggedError<DeliveryFailed>()("DeliveryFailed", {
  reason: Schema.String
}) {}

/**
 * Where delivered messages go: logs in development; in-app notifications, email and webhooks
 * are further transports.
 *
 * @since 0.1.0
 * @category services
 */
export class OutboxTransport extends Context.Service<
  OutboxTransport,
  { readonly deliver: (message: OutboxMessage) => Effect.Effect<void, DeliveryFailed> }
>()("@rota/core/OutboxTransport") {}

/**
 * Writes a message about a change; call it inside the change's transaction.
 *
 * @since 0.1.0
 * @category sending
 */
export const send = Effect.fnUntraced(function* (message: {
  readonly orgId: OrgId | null
  readonly topic: string
  readonly payload: Schema.Json
}): Effect.fn.Return<OutboxMessage, never, Outbox | Ids> {
  const outbox = yield* Outbox
  const entry = new OutboxMessage({
    id: yield* nextId(OutboxMessageId),
    orgId: message.orgId,
    topic: message.topic,
    payload: message.payload,
    createdAt: DateTime.makeUnsafe(yield* Clock.currentTimeMillis),
    attempts: 0
  })
  yield* outbox.enqueue(entry)
  return entry
})

/**
 * How long to wait before retrying a message that failed `attempts` times: doubling from 5 s,
 * capped at one hour.
 *
 * @since 0.1.0
 * @category rules
 */
export const retryDelay = (attempts: number): Duration.Duration =>
  Duration.millis(Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 3_600_000))

/**
 * How long a deliverer owns the messages it leased.
 *
 * @since 0.1.0
 * @category constants
 */
export const leaseDuration = Duration.seconds(60)

/**
 * Delivers one batch of due messages; answers how many were delivered. Run by the job runner.
 *
 * @since 0.1.0
 * @category delivery
 */
export const deliverDue = (batchSize = 100): Effect.Effect<number, never, Outbox | OutboxTransport> =>
  Effect.gen(function* () {
    const outbox = yield* Outbox
    const transport = yield* OutboxTransport
    const now = yield* DateTime.now
    const messages = yield* outbox.lease(batchSize, now, DateTime.addDuration(now, leaseDuration))
    let delivered = 0
    for (const message of messages) {
      yield* transport.deliver(message).pipe(
        Effect.andThen(Effect.flatMap(DateTime.now, (at) => outbox.markDelivered(message.id, at))),
        Effect.andThen(Effect.sync(() => delivered++)),
        Effect.catch((error) =>
          Effect.flatMap(DateTime.now, (at) =>
            outbox.markFailed(
              message.id,
              error.reason,
              DateTime.addDuration(at, retryDelay(message.attempts + 1))
            )
          )
        )
      )
    }
    return delivered
  })

const secretKey = /token|secret|password|credential/i

/**
 * The payload with the value of every key that looks like a secret replaced, at any depth.
 * Payloads carry references, not secrets; this keeps a mistake from reaching the log.
 *
 * @since 0.1.0
 * @category transports
 */
export const redact = (payload: Schema.Json): Schema.Json => {
  if (Array.isArray(payload)) return payload.map(redact)
  if (payload === null || typeof payload !== "object") return payload
  return Object.fromEntries(
    Object.entries(payload).map(([key, value]) => [key, secretKey.test(key) ? "[redacted]" : redact(value)])
  )
}

/**
 * A transport that writes each message to the log, with {@link redact}ed payloads: what
 * development uses for messages nobody reads (secret links go to a mailbox, see `Notifications`).
 *
 * @since 0.1.0
 * @category transports
 */
export const layerLogTransport: Layer.Layer<OutboxTransport> = Layer.succeed(
  OutboxTransport,
  OutboxTransport.of({
    deliver: Effect.fn("LogTransport.deliver")((message: OutboxMessage) =>
      // Debug: a first start delivers one message per demo record, which is noise at info.
      Effect.logDebug("outbox message delivered").pipe(
        Effect.annotateLogs({ topic: message.topic, messageId: message.id, payload: redact(message.payload) })
      )
    )
  })
)
