/**
 * Webhook deliveries on PostgreSQL, the half of `PgWebhookRepo` that moves messages out: fan-out
 * takes outbox messages with `FOR UPDATE SKIP LOCKED` and inserts deliveries with
 * `ON CONFLICT DO NOTHING` on the (message, endpoint) key, in the caller's transaction; attempts
 * are claimed with `FOR UPDATE SKIP LOCKED` and a lease, so concurrent servers never send the
 * same delivery twice at once, and a crashed server's lease simply runs out.
 *
 * @since 0.1.0
 */
import { Ids, Outbox, Webhook, type WebhookRepo } from "@rota/core"
import { Array as Arr, DateTime, Effect, Option, Schema } from "effect"
import type { SqlClient } from "effect/sql"

type Repo = WebhookRepo.WebhookRepo["Service"]

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
const decodeDeliveries = Schema.decodeUnknownSync(Schema.Array(DeliveryRow))
const decodeDue = Schema.decodeUnknownSync(Schema.Array(DueRow))

const time = (date: Date) => DateTime.fromDateUnsafe(date)
const orNull = (date: Date | null) => (date === null ? null : time(date))

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

const deliveryColumns = (sql: SqlClient.SqlClient) =>
  sql.literal(
    "id, endpoint_id, message_id, topic, status, attempts, response_status, last_error, next_attempt_at, created_at, delivered_at"
  )

/**
 * @since 0.1.0
 * @category queries
 */
export const deliveries =
  (sql: SqlClient.SqlClient): Repo["deliveries"] =>
  (orgId, webhookId, limit) =>
    sql`SELECT ${deliveryColumns(sql)} FROM webhook_deliveries WHERE org_id = ${orgId} AND endpoint_id = ${webhookId}
          ORDER BY created_at DESC, id DESC LIMIT ${limit}`.pipe(
      Effect.map((rows) => decodeDeliveries(rows).map(toDelivery)),
      Effect.orDie
    )

/**
 * @since 0.1.0
 * @category queries
 */
export const findDelivery =
  (sql: SqlClient.SqlClient): Repo["findDelivery"] =>
  (orgId, webhookId, id) =>
    Ids.isUuid(id)
      ? sql`SELECT ${deliveryColumns(sql)} FROM webhook_deliveries
              WHERE org_id = ${orgId} AND endpoint_id = ${webhookId} AND id = ${id}`.pipe(
          Effect.map((rows) => Option.map(Option.fromNullishOr(decodeDeliveries(rows)[0]), toDelivery)),
          Effect.orDie
        )
      : Effect.succeed(Option.none())

/**
 * @since 0.1.0
 * @category writes
 */
export const redeliver =
  (sql: SqlClient.SqlClient): Repo["redeliver"] =>
  (orgId, id, at) =>
    sql`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ${DateTime.toDateUtc(at)}, leased_until = NULL
          WHERE org_id = ${orgId} AND id = ${id} RETURNING ${deliveryColumns(sql)}`.pipe(
      Effect.map((rows) => toDelivery(decodeDeliveries(rows)[0]!)),
      Effect.orDie
    )

/**
 * @since 0.1.0
 * @category fan-out
 */
export const takeNew =
  (sql: SqlClient.SqlClient): Repo["takeNew"] =>
  (limit, at) =>
    sql`UPDATE outbox_messages SET webhooks_at = ${DateTime.toDateUtc(at)}
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
          createdAt: time(row.created_at)
        }))
      ),
      Effect.orDie
    )

/**
 * @since 0.1.0
 * @category fan-out
 */
export const insertDeliveries =
  (sql: SqlClient.SqlClient): Repo["insertDeliveries"] =>
  (rows) => {
    const values = rows.map(
      (row): Record<string, unknown> => ({
        id: row.id,
        org_id: row.orgId,
        endpoint_id: row.webhookId,
        message_id: row.eventId,
        topic: row.topic,
        body: row.body,
        next_attempt_at: DateTime.toDateUtc(row.at),
        created_at: DateTime.toDateUtc(row.at)
      })
    )
    return Arr.isReadonlyArrayNonEmpty(values)
      ? sql`INSERT INTO webhook_deliveries ${sql.insert(values)}
              ON CONFLICT (message_id, endpoint_id) DO NOTHING`.pipe(Effect.asVoid, Effect.orDie)
      : Effect.void
  }

/**
 * @since 0.1.0
 * @category attempts
 */
export const claim =
  (sql: SqlClient.SqlClient): Repo["claim"] =>
  (limit, now, leaseUntil) =>
    sql`UPDATE webhook_deliveries d SET leased_until = ${DateTime.toDateUtc(leaseUntil)}
          FROM webhook_endpoints e
          WHERE e.id = d.endpoint_id AND d.id IN (
            SELECT dd.id FROM webhook_deliveries dd
            JOIN webhook_endpoints ee ON ee.id = dd.endpoint_id AND ee.enabled AND ee.deleted_at IS NULL
            WHERE dd.status = 'pending' AND dd.next_attempt_at <= ${DateTime.toDateUtc(now)}
              AND (dd.leased_until IS NULL OR dd.leased_until <= ${DateTime.toDateUtc(now)})
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
    )

/**
 * @since 0.1.0
 * @category attempts
 */
export const record =
  (sql: SqlClient.SqlClient): Repo["record"] =>
  (id, outcome) =>
    sql`UPDATE webhook_deliveries SET attempts = attempts + 1, leased_until = NULL,
          response_status = ${outcome.responseStatus},
          last_error = ${outcome.error === null ? null : outcome.error.slice(0, 2000)},
          next_attempt_at = ${outcome.nextAttemptAt === null ? null : DateTime.toDateUtc(outcome.nextAttemptAt)},
          status = ${outcome.error === null ? "delivered" : outcome.nextAttemptAt === null ? "failed" : "pending"},
          delivered_at = ${outcome.error === null ? DateTime.toDateUtc(outcome.at) : null}
          WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie)

/**
 * @since 0.1.0
 * @category attempts
 */
export const purgeFinished =
  (sql: SqlClient.SqlClient): Repo["purgeFinished"] =>
  (before) =>
    sql<{ id: string }>`DELETE FROM webhook_deliveries
          WHERE status <> 'pending' AND created_at < ${DateTime.toDateUtc(before)} RETURNING id`.pipe(
      Effect.map((rows) => rows.length),
      Effect.orDie
    )
