/**
 * Calendar feeds on PostgreSQL: live feeds are the rows without `revoked_at`; the public route
 * finds a feed by its token's hash.
 *
 * @since 0.1.0
 */
import { CalendarFeed, CalendarFeedRepo, Ids } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as Keyset from "./Keyset.ts"

const FeedRow = Schema.Struct({
  id: Schema.String,
  org_id: Schema.String,
  kind: CalendarFeed.FeedKind,
  subject_id: Schema.String,
  token_hash: Schema.String,
  created_by: Schema.String,
  created_at: Schema.Date
})
const decodeRow = Schema.decodeUnknownSync(FeedRow)

const toFeed = (raw: unknown) => {
  const row = decodeRow(raw)
  return new CalendarFeed.CalendarFeed({
    id: CalendarFeed.CalendarFeedId.make(row.id),
    orgId: Ids.OrgId.make(row.org_id),
    kind: row.kind,
    subjectId: Ids.Uuid.make(row.subject_id),
    createdBy: Ids.AccountId.make(row.created_by),
    createdAt: DateTime.fromDateUnsafe(row.created_at)
  })
}

const byCreation: Keyset.Column = { name: "created_at", kind: "timestamp" }

const isUuid = Schema.is(Ids.Uuid)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<CalendarFeedRepo.CalendarFeedRepo, never, SqlClient.SqlClient> = Layer.effect(
  CalendarFeedRepo.CalendarFeedRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return CalendarFeedRepo.CalendarFeedRepo.of({
      insert: (feed, tokenHash) =>
        sql`INSERT INTO calendar_feeds ${sql.insert({
          id: feed.id,
          org_id: feed.orgId,
          kind: feed.kind,
          subject_id: feed.subjectId,
          token_hash: tokenHash,
          created_by: feed.createdBy,
          created_at: DateTime.toDateUtc(feed.createdAt)
        })}`.pipe(Effect.asVoid, Effect.orDie),
      list: (orgId, page, createdBy) =>
        Effect.map(
          Keyset.page(sql, {
            source: sql`calendar_feeds`,
            conditions: [
              sql`org_id = ${orgId}`,
              sql`revoked_at IS NULL`,
              createdBy === undefined ? undefined : sql`created_by = ${createdBy}`
            ],
            column: byCreation,
            direction: "asc",
            limit: page.limit,
            cursor: page.cursor
          }),
          (found) => ({ items: found.items.map(toFeed), nextCursor: found.nextCursor })
        ),
      find: (orgId, id) =>
        isUuid(id)
          ? sql`SELECT * FROM calendar_feeds WHERE org_id = ${orgId} AND id = ${id} AND revoked_at IS NULL`.pipe(
              Effect.map((rows) => (rows.length === 0 ? Option.none() : Option.some(toFeed(rows[0])))),
              Effect.orDie
            )
          : Effect.succeed(Option.none()),
      findByTokenHash: (tokenHash) =>
        sql`SELECT * FROM calendar_feeds WHERE token_hash = ${tokenHash} AND revoked_at IS NULL`.pipe(
          Effect.map((rows) =>
            rows.length === 0
              ? Option.none()
              : Option.some({ feed: toFeed(rows[0]), tokenHash: decodeRow(rows[0]).token_hash })
          ),
          Effect.orDie
        ),
      revoke: (orgId, id, at) =>
        sql`UPDATE calendar_feeds SET revoked_at = ${DateTime.toDateUtc(at)}
          WHERE org_id = ${orgId} AND id = ${id} AND revoked_at IS NULL RETURNING id`.pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.orDie
        )
    })
  })
)
