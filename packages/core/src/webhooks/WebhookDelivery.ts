/**
 * Delivering webhooks, a consumer of the outbox of its own beside notifications: each run
 * turns new outbox messages into deliveries (one per matching endpoint), then attempts the due
 * ones. Run by the job runner on every server; claims keep each attempt on one server.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Duration, Effect, Random } from "effect"
import { type Ids, nextId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import {
  DeliveryId,
  disables,
  envelope,
  failureReason,
  matches,
  type RetryPolicy,
  retries,
  retryDelay
} from "./Webhook.ts"
import { type DueDelivery, type NewDelivery, WebhookRepo } from "./WebhookRepo.ts"
import { WebhookSecrets, WebhookSender } from "./WebhookTransport.ts"

/**
 * How deliveries are retried and batched; the HTTP server sets it from its environment.
 *
 * @since 0.1.0
 * @category services
 */
export const WebhookConfig = Context.Reference<
  RetryPolicy & {
    /** How long a server owns the deliveries it claimed: longer than one attempt may take. */
    readonly lease: Duration.Duration
    /** Deliveries attempted per run, and at once. */
    readonly batchSize: number
    readonly concurrency: number
  }
>("@rota/core/webhooks/WebhookConfig", {
  defaultValue: () => ({
    base: Duration.seconds(10),
    cap: Duration.hours(1),
    maxAttempts: 10,
    disableAfter: 20,
    lease: Duration.seconds(60),
    batchSize: 50,
    concurrency: 8
  })
})

/**
 * The count of what one run did.
 *
 * @since 0.1.0
 * @category models
 */
export interface Run {
  readonly fannedOut: number
  readonly delivered: number
  readonly failed: number
}

const attempt = (due: DueDelivery) =>
  Effect.gen(function* () {
    const repo = yield* WebhookRepo
    const secrets = yield* WebhookSecrets
    const sender = yield* WebhookSender
    const transactor = yield* Transactor
    const policy = yield* WebhookConfig
    const sent = yield* secrets.open(due.sealedSecret).pipe(
      Effect.flatMap((secret) => sender.send({ url: due.url, eventId: due.eventId, body: due.body, secret })),
      Effect.map((answer): { readonly ok: true; readonly responseStatus: number } => ({
        ok: true,
        ...answer
      })),
      Effect.catch((failure) => Effect.succeed({ ok: false as const, failure }))
    )
    const at = yield* DateTime.now
    const attempts = due.attempts + 1
    if (sent.ok) {
      yield* transactor.withTransaction(
        Effect.andThen(
          repo.record(due.id, {
            at,
            responseStatus: sent.responseStatus,
            error: null,
            nextAttemptAt: null
          }),
          repo.endpointSucceeded(due.webhookId)
        )
      )
      return true
    }
    const failure = sent.failure
    const wait = retryDelay(policy, attempts, yield* Random.next)
    yield* transactor.withTransaction(
      Effect.gen(function* () {
        yield* repo.record(due.id, {
          at,
          responseStatus: failure.responseStatus,
          error: failure.reason,
          nextAttemptAt: retries(policy, attempts) ? DateTime.addDuration(at, wait) : null
        })
        yield* Effect.logWarning("webhook attempt failed").pipe(
          Effect.annotateLogs({ attempts, reason: failure.reason })
        )
        const consecutive = yield* repo.endpointFailed(due.webhookId)
        if (disables(policy, consecutive)) {
          yield* repo.disable(due.webhookId, failureReason(consecutive), at)
          yield* Effect.logWarning("webhook endpoint disabled").pipe(
            Effect.annotateLogs({ webhookId: due.webhookId, consecutiveFailures: consecutive })
          )
        }
      })
    )
    return false
  }).pipe(
    // The URL may carry a token of the receiver's in its query: logs name the endpoint only.
    Effect.annotateLogs({ webhookId: due.webhookId, deliveryId: due.id, eventId: due.eventId })
  )

// Messages and their deliveries commit together: a message marked seen has all its deliveries.
const fanOut = (at: DateTime.Utc) =>
  Effect.gen(function* () {
    const repo = yield* WebhookRepo
    const transactor = yield* Transactor
    return yield* transactor.withTransaction(
      Effect.gen(function* () {
        const messages = yield* repo.takeNew(500, at)
        const scoped = messages.filter((message) => message.orgId !== null)
        const listeners = yield* repo.listeners([...new Set(scoped.map((message) => message.orgId!))])
        const rows: Array<NewDelivery> = []
        for (const message of scoped) {
          const body = envelope({
            id: message.id,
            topic: message.topic,
            createdAt: message.createdAt,
            orgId: message.orgId!,
            data: Outbox.redact(message.payload)
          })
          for (const listener of listeners) {
            if (listener.orgId !== message.orgId || !matches(listener.topics, message.topic)) continue
            rows.push({
              id: yield* nextId(DeliveryId),
              orgId: listener.orgId,
              webhookId: listener.id,
              eventId: message.id,
              topic: message.topic,
              body,
              at
            })
          }
        }
        yield* repo.insertDeliveries(rows)
        return messages.length
      })
    )
  })

/**
 * Fans new outbox messages out to deliveries, then attempts the due deliveries once each.
 *
 * @since 0.1.0
 * @category delivery
 */
export const deliverDue: Effect.Effect<
  Run,
  never,
  WebhookRepo | WebhookSecrets | WebhookSender | Transactor | Ids
> = Effect.gen(function* () {
  const repo = yield* WebhookRepo
  const config = yield* WebhookConfig
  const now = yield* DateTime.now
  const fannedOut = yield* fanOut(now)
  const claimed = yield* repo.claim(config.batchSize, now, DateTime.addDuration(now, config.lease))
  const outcomes = yield* Effect.forEach(claimed, attempt, { concurrency: config.concurrency })
  const delivered = outcomes.filter((ok) => ok).length
  return { fannedOut, delivered, failed: outcomes.length - delivered }
}).pipe(Effect.withSpan("WebhookDelivery.deliverDue"))
