/**
 * The change feed on PostgreSQL: `change_feed` rows (filled from the outbox at commit, see
 * migration 0029), read by the org's primary key after a sequence number.
 *
 * @since 0.1.0
 */
import { Change, Errors, type Ids } from "@rota/core"
import { DateTime, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as Keyset from "./Keyset.ts"

const ChangeRow = Schema.Struct({
  seq: Schema.String,
  topic: Schema.String,
  entity_id: Schema.NullOr(Schema.String),
  occurred_at: Schema.Date
})

const decodeRows = Schema.decodeUnknownSync(Schema.Array(ChangeRow))
const isCursor = Schema.is(Change.ChangeCursor)

const invalidSince = () =>
  new Errors.ValidationFailed({
    errors: [{ path: ["query", "since"], message: "must be a cursor from the change feed" }]
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Change.ChangeLog, never, SqlClient.SqlClient> = Layer.effect(
  Change.ChangeLog,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const after = (orgId: Ids.OrgId, since: string | undefined, limit: number) =>
      Effect.gen(function* () {
        if (since !== undefined && !isCursor(since)) return yield* Effect.fail(invalidSince())
        const rows = decodeRows(
          // `ORDER BY seq` would name the text column below: the feed sorted as text, whole.
          yield* sql`SELECT seq::text AS seq, topic, entity_id, occurred_at FROM change_feed
            WHERE org_id = ${orgId} AND seq > ${since ?? "0"}::bigint
            ORDER BY change_feed.seq ${Keyset.limitOf(sql, limit + 1)}`.pipe(Effect.orDie)
        )
        const items = rows.slice(0, limit).map(
          (row) =>
            new Change.Change({
              cursor: row.seq,
              topic: row.topic,
              entityType: Change.entityTypeOf(row.topic),
              entityId: row.entity_id,
              occurredAt: DateTime.fromDateUnsafe(row.occurred_at)
            })
        )
        return { items, nextCursor: rows.length > limit ? (items[items.length - 1]?.cursor ?? null) : null }
      })
    return Change.ChangeLog.of({ after })
  })
)
