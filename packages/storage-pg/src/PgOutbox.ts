/**
 * The outbox on PostgreSQL: written in the caller's transaction, leased with
 * `FOR UPDATE SKIP LOCKED` so concurrent deliverers never take the same message.
 *
 * @since 0.1.0
 */
import { Ids, Outbox } from "@rota/core"
import { DateTime, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as PendingWrites from "./PendingWrites.ts"

const MessageRow = Schema.Struct({
  id: Schema.String,
  org_id: Schema.NullOr(Schema.String),
  topic: Schema.String,
  payload: Schema.Json,
  created_at: Schema.Date,
  attempts: Schema.Number
})

const decodeRows = Schema.decodeUnknownSync(Schema.Array(MessageRow))

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Outbox.Outbox, never, SqlClient.SqlClient> = Layer.effect(
  Outbox.Outbox,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return Outbox.Outbox.of({
      enqueue: (message) =>
        PendingWrites.write(
          sql,
          sql`INSERT INTO outbox_messages ${sql.insert({
            id: message.id,
            org_id: message.orgId,
            topic: message.topic,
            payload: JSON.stringify(message.payload),
            created_at: DateTime.toDateUtc(message.createdAt),
            available_at: DateTime.toDateUtc(message.createdAt),
            attempts: message.attempts
          })}`,
          { ordered: true }
        ).pipe(Effect.orDie),
      lease: (limit, now, leaseUntil) =>
        sql`UPDATE outbox_messages SET leased_until = ${DateTime.toDateUtc(leaseUntil)}
          WHERE id IN (
            SELECT id FROM outbox_messages
            WHERE delivered_at IS NULL AND available_at <= ${DateTime.toDateUtc(now)}
              AND (leased_until IS NULL OR leased_until <= ${DateTime.toDateUtc(now)})
            ORDER BY available_at, id
            LIMIT ${limit}
            FOR UPDATE SKIP LOCKED)
          RETURNING id, org_id, topic, payload, created_at, attempts`.pipe(
          Effect.map((rows) =>
            decodeRows(rows)
              .map(
                (row) =>
                  new Outbox.OutboxMessage({
                    id: Outbox.OutboxMessageId.make(row.id),
                    orgId: row.org_id === null ? null : Ids.OrgId.make(row.org_id),
                    topic: row.topic,
                    payload: row.payload,
                    createdAt: DateTime.fromDateUnsafe(row.created_at),
                    attempts: row.attempts
                  })
              )
              .sort((a, b) => (a.id < b.id ? -1 : 1))
          ),
          Effect.orDie
        ),
      markDelivered: (id, at) =>
        sql`UPDATE outbox_messages SET delivered_at = ${DateTime.toDateUtc(at)}, leased_until = NULL, attempts = attempts + 1
          WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      markFailed: (id, error, retryAt) =>
        sql`UPDATE outbox_messages
          SET attempts = attempts + 1, available_at = ${DateTime.toDateUtc(retryAt)}, leased_until = NULL, last_error = ${error.slice(0, 2000)}
          WHERE id = ${id}`.pipe(Effect.asVoid, Effect.orDie),
      purgeDelivered: (before) => {
        const cutoff = DateTime.toDateUtc(before)
        return sql<{
          id: string
        }>`DELETE FROM outbox_messages WHERE delivered_at < ${cutoff} RETURNING id`.pipe(
          Effect.map((rows) => rows.length),
          Effect.orDie
        )
      }
    })
  })
)
