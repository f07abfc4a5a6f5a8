/**
 * Outgoing webhooks: an org's endpoints, the events they listen to, and the rules of delivery
 * (which topics match, when to retry, when to give up on an endpoint). The transport (HTTP,
 * signatures, address checks) is the server's; these rules are pure.
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Schema } from "effect"
import { OrgId, Uuid } from "../kernel/Ids.ts"
import { OutboxMessageId } from "../kernel/Outbox.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const WebhookId = Uuid.pipe(Schema.brand("WebhookId"))
/** @since 0.1.0 @category ids */
export type WebhookId = typeof WebhookId.Type

/**
 * @since 0.1.0
 * @category ids
 */
export const DeliveryId = Uuid.pipe(Schema.brand("WebhookDeliveryId"))
/** @since 0.1.0 @category ids */
export type DeliveryId = typeof DeliveryId.Type

/**
 * An absolute `http:` or `https:` URL, at most 2048 characters, without user name or password
 * (credentials in a URL end up in logs; the signature authenticates Rota instead). Whether its
 * host may be called is decided by the server, after name resolution.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WebhookUrl = Schema.String.pipe(
  Schema.check(
    Schema.isBetweenLength(1, 2048),
    // The shape first (no user info: an `@` before the path), so generated samples are URLs.
    Schema.isPattern(/^https?:\/\/[^\s/?#@]+([/?#]\S*)?$/, {
      message: "must be an absolute http or https URL without a user name or password"
    }),
    Schema.makeFilter((value: string) => URL.parse(value) !== null || "must be an absolute URL")
  )
)

/**
 * What an endpoint listens to: `*` (everything), a topic (`booking.approved`), or every topic
 * of a kind (`booking.*`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TopicFilter = Schema.String.pipe(
  Schema.check(
    Schema.isPattern(/^(\*|[a-z][a-z0-9_]*\.(\*|[a-z][a-z0-9_.]*))$/, {
      message: "must be *, a topic such as booking.approved, or kind.* such as booking.*"
    }),
    Schema.isMaxLength(128)
  )
)

/**
 * @since 0.1.0
 * @category schemas
 */
export const TopicFilters = Schema.Array(TopicFilter).pipe(Schema.check(Schema.isBetweenLength(1, 50)))

/**
 * @since 0.1.0
 * @category schemas
 */
export const Description = Schema.String.pipe(Schema.check(Schema.isMaxLength(500)))

/**
 * An endpoint as its org sees it: never its secret, which is shown once, when made or rotated.
 *
 * @since 0.1.0
 * @category models
 */
export class Webhook extends Schema.Class<Webhook>("@rota/core/Webhook")({
  id: WebhookId,
  orgId: OrgId,
  url: Schema.String,
  topics: Schema.Array(Schema.String),
  description: Schema.String,
  enabled: Schema.Boolean,
  /** Why delivery stopped on its own (repeated failures); `null` when enabled or disabled by hand. */
  disabledReason: Schema.NullOr(Schema.String),
  /** Failed attempts since the last success. */
  consecutiveFailures: Schema.Int,
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  updatedAt: Schema.DateTimeUtc
}) {}

/**
 * @since 0.1.0
 * @category schemas
 */
export const DeliveryStatus = Schema.Literals(["pending", "delivered", "failed"])
/** @since 0.1.0 @category models */
export type DeliveryStatus = typeof DeliveryStatus.Type

/**
 * One event for one endpoint, and how its delivery went.
 *
 * @since 0.1.0
 * @category models
 */
export class Delivery extends Schema.Class<Delivery>("@rota/core/WebhookDelivery")({
  id: DeliveryId,
  webhookId: WebhookId,
  /** The event's id, sent as `Rota-Event-Id`: the same for every endpoint and every attempt. */
  eventId: OutboxMessageId,
  topic: Schema.String,
  status: DeliveryStatus,
  attempts: Schema.Int,
  responseStatus: Schema.NullOr(Schema.Int),
  lastError: Schema.NullOr(Schema.String),
  nextAttemptAt: Schema.NullOr(Schema.DateTimeUtc),
  createdAt: Schema.DateTimeUtc,
  deliveredAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * Whether an endpoint listening to `filters` gets an event of `topic`.
 *
 * @since 0.1.0
 * @category rules
 */
export const matches = (filters: ReadonlyArray<string>, topic: string): boolean =>
  filters.some(
    (filter) =>
      filter === "*" || filter === topic || (filter.endsWith(".*") && topic.startsWith(filter.slice(0, -1)))
  )

/**
 * The body sent for an event: what the outbox message says, in the documented envelope.
 *
 * @since 0.1.0
 * @category rules
 */
export const envelope = (event: {
  readonly id: string
  readonly topic: string
  readonly createdAt: DateTime.Utc
  readonly orgId: string
  readonly data: Schema.Json
}): string =>
  JSON.stringify({
    id: event.id,
    type: event.topic,
    createdAt: DateTime.formatIso(event.createdAt),
    orgId: event.orgId,
    data: event.data
  })

/**
 * How deliveries are retried and when an endpoint is given up on.
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryPolicy {
  /** The wait after the first failed attempt; it doubles with each further one. */
  readonly base: Duration.Duration
  /** The longest wait between two attempts. */
  readonly cap: Duration.Duration
  /** Attempts of one delivery before it is marked failed. */
  readonly maxAttempts: number
  /** Consecutive failed attempts on an endpoint (any delivery) before it is disabled. */
  readonly disableAfter: number
}

/**
 * How long to wait before attempt `attempts + 1`, after `attempts` failed ones: exponential from
 * `base`, capped, with "equal jitter" (half fixed, half random) so endpoints that failed
 * together do not all come back at once. `random` is in [0, 1).
 *
 * @since 0.1.0
 * @category rules
 */
export const retryDelay = (policy: RetryPolicy, attempts: number, random: number): Duration.Duration => {
  const exponential = Duration.toMillis(policy.base) * 2 ** Math.max(0, attempts - 1)
  const ceiling = Math.min(exponential, Duration.toMillis(policy.cap))
  return Duration.millis(Math.round(ceiling / 2 + (ceiling / 2) * random))
}

/**
 * Whether a delivery that failed its `attempts`-th attempt is retried.
 *
 * @since 0.1.0
 * @category rules
 */
export const retries = (policy: RetryPolicy, attempts: number): boolean => attempts < policy.maxAttempts

/**
 * Whether an endpoint with this many consecutive failed attempts is disabled.
 *
 * @since 0.1.0
 * @category rules
 */
export const disables = (policy: RetryPolicy, consecutiveFailures: number): boolean =>
  policy.disableAfter > 0 && consecutiveFailures >= policy.disableAfter

/**
 * The reason an endpoint shows once it was disabled for failing.
 *
 * @since 0.1.0
 * @category rules
 */
export const failureReason = (consecutiveFailures: number): string =>
  `disabled after ${consecutiveFailures} consecutive failed deliveries`
