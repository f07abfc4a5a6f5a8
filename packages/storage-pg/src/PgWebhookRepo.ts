/**
 * Webhook endpoints and deliveries on PostgreSQL. Fan-out takes outbox messages with
 * `FOR UPDATE SKIP LOCKED` and inserts deliveries with `ON CONFLICT DO NOTHING` on the
 * (message, endpoint) key, in the caller's transaction; attempts are claimed with `FOR UPDATE SKIP LOCKED` and a lease, so concurrent servers never
 * send the same delivery twice at once, and a crashed server's lease simply runs out.
 *
 * @since 0.1.0
 */
import { Ids, Outbox, Webhook, WebhookRepo } from "@rota/core"
import { Array as Arr, DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"

const EndpointRow = Schema.Struct({
  id: Schema.String,
  org_id: Schema.String,
  url: Schema.String,
  topics: Schema.Array(Schema.String),
  description: Schema.String,
  enabled: Schema.Boolean,
  disabled_reason: Schema.NullOr(Schema.String),
  consecutive_failures: Schema.Number,
  version: Schema.Number,
  created_at: Schema.Date,
  updated_at: Schema.Date
})

const DeliveryRow = Schema.Struct({
  id: Schema.String,
  endpoint_id: Schema.String,
  message_id: Schema.String,
  topic: Schema.String,
  status: Webhook.DeliveryStatus,
  attempts: Schema.Number,
  response_status: Schema.NullOr(Schema.Number),
  last_error: Schema.NullOr(Schema.String),
  next_attempt_at: Schema.NullOr(Schema.Date),
  created_at: Schema.Date,
  delivered_at: Schema.NullOr(Schema.Date)
})

const DueRow = Schema.Struct({
  id: Schema.String,
  endpoint_id: Schema.String,
  org_id: Schema.String,
  url: Schema.String,
  sealed_secret: Schema.String,
  message_id: Schema.String,
  body: Schema.String,
  attempts: Schema.Number
})

const MessageRow = Schema.Struct({
  id: Schema.String,
  org_id: Schema.NullOr(Schema.String),
  topic: Schema.String,
  payload: Schema.Json,
  created_at: Schema.Date
})

const decodeMessages = Schema.decodeUnknownSync(Schema.Array(MessageRow))
const decodeEndpoints = Schema.decodeUnknownSync(Schema.Array(EndpointRow))
const decodeDeliveries = Schema.decodeUnknownSync(Schema.Array(DeliveryRow))
const decodeDue = Schema.decodeUnknownSync(Schema.Array(DueRow))

const time = (date: Date) => DateTime.fromDateUnsafe(date)
const orNull = (date: Date | null) => (date === null ? null : time(date))

const toWebhook = (row: typeof EndpointRow.Type) =>
  new Webhook.Webhook({
    id: Webhook.WebhookId.make(row.id),
    orgId: Ids.OrgId.make(row.org_id),
    url: row.url,
    topics: row.topics,
    description: row.description,
    enabled: row.enabled,
    disabledReason: row.disabled_reason,
    consecutiveFailures: row.consecutive_failures,
    version: row.version,
    createdAt: time(row.created_at),
    updatedAt: time(row.updated_at)
  })

const toDelivery = (row: typeof DeliveryRow.Type) =>
  new Webhook.Delivery({
    id: Webhook.DeliveryId.make(row.id),
    webhookId: Webhook.WebhookId.make(row.endpoint_id),
    eventId: Outbox.OutboxMessageId.make(row.message_id),
    topic: row.topic,
    status: row.status,
    attempts: row.attempts,
    responseStatus: row.response_status,
    lastError: row.last_error,
    nextAttemptAt: orNull(row.next_attempt_at),
    createdAt: time(row.created_at),
    deliveredAt: orNull(row.delivered_at)
  })

const endpointColumns =
  "id, org_id, url, topics, description, enabled, disabled_reason, consecutive_failures, version, created_at, updated_at"
const deliveryColumns =
  "id, endpoint_id, message_id, topic, status, attempts, response_status, last_error, next_attempt_at, created_at, delivered_at"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<WebhookRepo.WebhookRepo, never, SqlClient.SqlClient> = Layer.effect(
  WebhookRepo.WebhookRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const endpoints = sql.literal(endpointColumns)
    const deliveries = sql.literal(deliveryColumns)

    const find = (orgId: string, id: string) =>
      // A malformed id is no endpoint (and must not reach a uuid comparison).
      Ids.isUuid(id)
        ? sql`SELECT ${endpoints} FROM webhook_endpoints
            WHERE org_id = ${orgId} AND id = ${id} AND deleted_at IS NULL`.pipe(
            Effect.map((rows) => Option.map(Option.fromNullishOr(decodeEndpoints(rows)[0]), toWebhook)),
            Effect.orDie
          )
        : Effect.succeed(Option.none())

    return WebhookRepo.WebhookRepo.of({
      insert: (webhook, sealedSecret) =>
        sql`INSERT INTO webhook_endpoints ${sql.insert({
          id: webhook.id,
          org_id: webhook.orgId,
          url: webhook.url,
          topics: [...webhook.topics],
          description: webhook.description,
          enabled: webhook.enabled,
          disabled_reason: webhook.disabledReason,
          sealed_secret: sealedSecret,
          consecutive_failures: webhook.consecutiveFailures,
          version: webhook.version,
          created_at: DateTime.toDateUtc(webhook.createdAt),
          updated_at: DateTime.toDateUtc(webhook.updatedAt)
        })}`.pipe(Effect.asVoid, Effect.orDie),
      find,
      list: (orgId) =>
        sql`SELECT ${endpoints} FROM webhook_endpoints WHERE org_id = ${orgId} AND deleted_at IS NULL
          ORDER BY created_at, id`.pipe(
          Effect.map((rows) => decodeEndpoints(rows).map(toWebhook)),
          Effect.orDie
        ),
      update: (webhook) =>
        sql`UPDATE webhook_endpoints SET ${sql.update({
          url: webhook.url,
          topics: [...webhook.topics],
          description: webhook.description,
          enabled: webhook.enabled,
          disabled_reason: webhook.disabledReason,
          consecutive_failures: webhook.consecutiveFailures,
          version: webhook.version,
          updated_at: DateTime.toDateUtc(webhook.updatedAt)
        })} WHERE org_id = ${webhook.orgId} AND id = ${webhook.id}`.pipe(Effect.asVoid, Effect.orDie),
      setSecret: (webhook, sealedSecret) =>
        sql`UPDATE webhook_endpoints SET sealed_secret = ${sealedSecret}, version = ${webhook.version},
          updated_at = ${DateTime.toDateUtc(webhook.updatedAt)}
          WHERE org_id = ${webhook.orgId} AND id = ${webhook.id}`.pipe(Effect.asVoid, Effect.orDie),
      remove: (orgId, id, at) =>
        sql`UPDATE webhook_endpoints SET deleted_at = ${at}, enabled = false, updated_at = ${at},
          version = version + 1
          WHERE org_id = ${orgId} AND id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      deliveries: (orgId, webhookId, limit) =>
        sql`SELECT ${deliveries} FROM webhook_deliveries WHERE org_id = ${orgId} AND endpoint_id = ${webhookId}
          ORDER BY created_at DESC, id DESC LIMIT ${limit}`.pipe(
          Effect.map((rows) => decodeDeliveries(rows).map(toDelivery)),
          Effect.orDie
        ),
      findDelivery: (orgId, webhookId, id) =>
        Ids.isUuid(id)
          ? sql`SELECT ${deliveries} FROM webhook_deliveries
              WHERE org_id = ${orgId} AND endpoint_id = ${webhookId} AND id = ${id}`.pipe(
              Effect.map((rows) => Option.map(Option.fromNullishOr(decodeDeliveries(rows)[0]), toDelivery)),
              Effect.orDie
            )
          : Effect.succeed(Option.none()),
      redeliver: (orgId, id, at) =>
        sql`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ${at}, leased_until = NULL
          WHERE org_id = ${orgId} AND id = ${id} RETURNING ${deliveries}`.pipe(
          Effect.map((rows) => toDelivery(decodeDeliveries(rows)[0]!)),
          Effect.orDie
        ),
      takeNew: (limit, at) =>
        sql`UPDATE outbox_messages SET webhooks_at = ${at}
          WHERE id IN (
            SELECT id FROM outbox_messages WHERE webhooks_at IS NULL
            ORDER BY created_at, id LIMIT ${limit} FOR UPDATE SKIP LOCKED)
          RETURNING id, org_id, topic, payload, created_at`.pipe(
          Effect.map((rows) =>
            decodeMessages(rows).map((row) => ({
              id: Outbox.OutboxMessageId.make(row.id),
              orgId: row.org_id === null ? null : Ids.OrgId.make(row.org_id),
              topic: row.topic,
              payload: row.payload,
              createdAt: row.created_at
            }))
          ),
          Effect.orDie
        ),
      listeners: (orgIds) =>
        orgIds.length === 0
          ? Effect.succeed([])
          : sql<{ id: string; org_id: string; topics: ReadonlyArray<string> }>`SELECT id, org_id, topics
              FROM webhook_endpoints
              WHERE org_id IN ${sql.in([...orgIds])} AND enabled AND deleted_at IS NULL`.pipe(
              Effect.map((rows) =>
                rows.map((row) => ({
                  id: Webhook.WebhookId.make(row.id),
                  orgId: Ids.OrgId.make(row.org_id),
                  topics: row.topics
                }))
              ),
              Effect.orDie
            ),
      insertDeliveries: (rows) => {
        const values = rows.map(
          (row): Record<string, unknown> => ({
            id: row.id,
            org_id: row.orgId,
            endpoint_id: row.webhookId,
            message_id: row.eventId,
            topic: row.topic,
            body: row.body,
            next_attempt_at: row.at,
            created_at: row.at
          })
        )
        return Arr.isReadonlyArrayNonEmpty(values)
          ? sql`INSERT INTO webhook_deliveries ${sql.insert(values)}
              ON CONFLICT (message_id, endpoint_id) DO NOTHING`.pipe(Effect.asVoid, Effect.orDie)
          : Effect.void
      },
      claim: (limit, now, leaseUntil) =>
        sql`UPDATE webhook_deliveries d SET leased_until = ${leaseUntil}
          FROM webhook_endpoints e
          WHERE e.id = d.endpoint_id AND d.id IN (
            SELECT dd.id FROM webhook_deliveries dd
            JOIN webhook_endpoints ee ON ee.id = dd.endpoint_id AND ee.enabled AND ee.deleted_at IS NULL
            WHERE dd.status = 'pending' AND dd.next_attempt_at <= ${now}
              AND (dd.leased_until IS NULL OR dd.leased_until <= ${now})
            ORDER BY dd.next_attempt_at, dd.id
            LIMIT ${limit}
            FOR UPDATE OF dd SKIP LOCKED)
          RETURNING d.id, d.endpoint_id, d.org_id, e.url, e.sealed_secret, d.message_id, d.body, d.attempts`.pipe(
          Effect.map((rows) =>
            decodeDue(rows).map(
              (row): WebhookRepo.DueDelivery => ({
                id: Webhook.DeliveryId.make(row.id),
                webhookId: Webhook.WebhookId.make(row.endpoint_id),
                orgId: Ids.OrgId.make(row.org_id),
                url: row.url,
                sealedSecret: row.sealed_secret,
                eventId: Outbox.OutboxMessageId.make(row.message_id),
                body: row.body,
                attempts: row.attempts
              })
            )
          ),
          Effect.orDie
        ),
      record: (id, outcome) =>
        sql`UPDATE webhook_deliveries SET attempts = attempts + 1, leased_until = NULL,
          response_status = ${outcome.responseStatus},
          last_error = ${outcome.error === null ? null : outcome.error.slice(0, 2000)},
          next_attempt_at = ${outcome.nextAttemptAt},
          status = ${outcome.error === null ? "delivered" : outcome.nextAttemptAt === null ? "failed" : "pending"},
          delivered_at = ${outcome.error === null ? outcome.at : null}
          WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      endpointSucceeded: (id) =>
        sql`UPDATE webhook_endpoints SET consecutive_failures = 0
          WHERE id = ${id} AND consecutive_failures <> 0`.pipe(Effect.asVoid, Effect.orDie),
      endpointFailed: (id) =>
        sql<{ consecutive_failures: number }>`UPDATE webhook_endpoints
          SET consecutive_failures = consecutive_failures + 1
          WHERE id = ${id} RETURNING consecutive_failures`.pipe(
          Effect.map((rows) => rows[0]?.consecutive_failures ?? 0),
          Effect.orDie
        ),
      purgeFinished: (before) =>
        sql<{ id: string }>`DELETE FROM webhook_deliveries
          WHERE status <> 'pending' AND created_at < ${before} RETURNING id`.pipe(
          Effect.map((rows) => rows.length),
          Effect.orDie
        ),
      disable: (id, reason, at) =>
        sql`UPDATE webhook_endpoints SET enabled = false, disabled_reason = ${reason}, updated_at = ${at},
          version = version + 1
          WHERE id = ${id} AND enabled`.pipe(Effect.asVoid, Effect.orDie)
    })
  })
)
