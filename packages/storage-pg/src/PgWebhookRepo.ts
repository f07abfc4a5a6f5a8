/**
 * Webhook endpoints and deliveries on PostgreSQL. The endpoints are here; the deliveries (fan-out
 * from the outbox, leased attempts and their outcomes) are in `PgWebhookDeliveries`, and the
 * layer joins both into one `WebhookRepo`.
 *
 * @since 0.1.0
 */
import { Ids, Webhook, WebhookRepo } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as PgWebhookDeliveries from "./PgWebhookDeliveries.ts"

type Repo = WebhookRepo.WebhookRepo["Service"]

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

const decodeEndpoints = Schema.decodeUnknownSync(Schema.Array(EndpointRow))

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
    createdAt: DateTime.fromDateUnsafe(row.created_at),
    updatedAt: DateTime.fromDateUnsafe(row.updated_at)
  })

const endpointColumns = (sql: SqlClient.SqlClient) =>
  sql.literal(
    "id, org_id, url, topics, description, enabled, disabled_reason, consecutive_failures, version, created_at, updated_at"
  )

const insert =
  (sql: SqlClient.SqlClient): Repo["insert"] =>
  (webhook, sealedSecret) =>
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
    })}`.pipe(Effect.asVoid, Effect.orDie)

const find =
  (sql: SqlClient.SqlClient): Repo["find"] =>
  (orgId, id) =>
    // A malformed id is no endpoint (and must not reach a uuid comparison).
    Ids.isUuid(id)
      ? sql`SELECT ${endpointColumns(sql)} FROM webhook_endpoints
            WHERE org_id = ${orgId} AND id = ${id} AND deleted_at IS NULL`.pipe(
          Effect.map((rows) => Option.map(Option.fromNullishOr(decodeEndpoints(rows)[0]), toWebhook)),
          Effect.orDie
        )
      : Effect.succeed(Option.none())

const update =
  (sql: SqlClient.SqlClient): Repo["update"] =>
  (webhook) =>
    sql`UPDATE webhook_endpoints SET ${sql.update({
      url: webhook.url,
      topics: [...webhook.topics],
      description: webhook.description,
      enabled: webhook.enabled,
      disabled_reason: webhook.disabledReason,
      consecutive_failures: webhook.consecutiveFailures,
      version: webhook.version,
      updated_at: DateTime.toDateUtc(webhook.updatedAt)
    })} WHERE org_id = ${webhook.orgId} AND id = ${webhook.id}`.pipe(Effect.asVoid, Effect.orDie)

const listeners =
  (sql: SqlClient.SqlClient): Repo["listeners"] =>
  (orgIds) =>
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
        )

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<WebhookRepo.WebhookRepo, never, SqlClient.SqlClient> = Layer.effect(
  WebhookRepo.WebhookRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return WebhookRepo.WebhookRepo.of({
      insert: insert(sql),
      find: find(sql),
      list: (orgId) =>
        sql`SELECT ${endpointColumns(sql)} FROM webhook_endpoints WHERE org_id = ${orgId} AND deleted_at IS NULL
          ORDER BY created_at, id`.pipe(
          Effect.map((rows) => decodeEndpoints(rows).map(toWebhook)),
          Effect.orDie
        ),
      update: update(sql),
      setSecret: (webhook, sealedSecret) =>
        sql`UPDATE webhook_endpoints SET sealed_secret = ${sealedSecret}, version = ${webhook.version},
          updated_at = ${DateTime.toDateUtc(webhook.updatedAt)}
          WHERE org_id = ${webhook.orgId} AND id = ${webhook.id}`.pipe(Effect.asVoid, Effect.orDie),
      remove: (orgId, id, at) =>
        sql`UPDATE webhook_endpoints SET deleted_at = ${DateTime.toDateUtc(at)}, enabled = false, updated_at = ${DateTime.toDateUtc(at)},
          version = version + 1
          WHERE org_id = ${orgId} AND id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      deliveries: PgWebhookDeliveries.deliveries(sql),
      findDelivery: PgWebhookDeliveries.findDelivery(sql),
      redeliver: PgWebhookDeliveries.redeliver(sql),
      takeNew: PgWebhookDeliveries.takeNew(sql),
      listeners: listeners(sql),
      insertDeliveries: PgWebhookDeliveries.insertDeliveries(sql),
      claim: PgWebhookDeliveries.claim(sql),
      record: PgWebhookDeliveries.record(sql),
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
      purgeFinished: PgWebhookDeliveries.purgeFinished(sql),
      disable: (id, reason, at) =>
        sql`UPDATE webhook_endpoints SET enabled = false, disabled_reason = ${reason}, updated_at = ${DateTime.toDateUtc(at)},
          version = version + 1
          WHERE id = ${id} AND enabled`.pipe(Effect.asVoid, Effect.orDie)
    })
  })
)
