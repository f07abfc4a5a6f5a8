/**
 * The notification inbox on PostgreSQL: each person's notifications, keyset-paged newest first.
 *
 * @since 0.1.0
 */
import { Ids, Notification, NotificationRepos } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as Keyset from "./Keyset.ts"

const NotificationRow = Schema.Struct({
  id: Schema.String,
  org_id: Schema.String,
  account_id: Schema.String,
  event: Schema.String,
  title: Schema.String,
  body: Schema.String,
  subject_type: Schema.String,
  subject_id: Schema.String,
  created_at: Schema.Date,
  read_at: Schema.NullOr(Schema.Date)
})
const decodeRow = Schema.decodeUnknownSync(NotificationRow)

const toNotification = (raw: unknown) => {
  const row = decodeRow(raw)
  return new Notification.Notification({
    id: Notification.NotificationId.make(row.id),
    orgId: Ids.OrgId.make(row.org_id),
    accountId: Ids.AccountId.make(row.account_id),
    event: row.event as Notification.Notification["event"],
    title: row.title,
    body: row.body,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    createdAt: DateTime.fromDateUnsafe(row.created_at),
    readAt: row.read_at === null ? null : DateTime.fromDateUnsafe(row.read_at)
  })
}

const byCreation: Keyset.Column = { name: "created_at", kind: "timestamp" }

/**
 * @since 0.1.0
 * @category layers
 */
export const notificationRepo: Layer.Layer<NotificationRepos.NotificationRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    NotificationRepos.NotificationRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return NotificationRepos.NotificationRepo.of({
        insert: (notification, messageId) =>
          sql`INSERT INTO notifications ${sql.insert({
            id: notification.id,
            org_id: notification.orgId,
            account_id: notification.accountId,
            message_id: messageId,
            event: notification.event,
            title: notification.title,
            body: notification.body,
            subject_type: notification.subjectType,
            subject_id: notification.subjectId,
            created_at: DateTime.toDateUtc(notification.createdAt),
            read_at: null
          })} ON CONFLICT (message_id, account_id) DO NOTHING RETURNING id`.pipe(
            Effect.map((rows) => rows.length > 0),
            Effect.orDie
          ),
        list: (orgId, accountId, filters, page) =>
          Effect.map(
            Keyset.page(sql, {
              source: sql`notifications`,
              conditions: [
                sql`org_id = ${orgId}`,
                sql`account_id = ${accountId}`,
                filters.unread === true ? sql`read_at IS NULL` : undefined
              ],
              column: byCreation,
              direction: "desc",
              limit: page.limit,
              cursor: page.cursor
            }),
            (found) => ({ items: found.items.map(toNotification), nextCursor: found.nextCursor })
          ),
        countUnread: (orgId, accountId) =>
          sql<{ count: number | string }>`SELECT count(*) AS count FROM notifications
            WHERE org_id = ${orgId} AND account_id = ${accountId} AND read_at IS NULL`.pipe(
            Effect.map((rows) => Number(rows[0]?.count ?? 0)),
            Effect.orDie
          ),
        markRead: (orgId, accountId, id, at) =>
          Effect.gen(function* () {
            // An id that is not a uuid names nothing; it must not reach the uuid column.
            if (!Schema.is(Ids.Uuid)(id)) return Option.none()
            const rows =
              yield* sql`UPDATE notifications SET read_at = coalesce(read_at, ${DateTime.toDateUtc(at)})
              WHERE org_id = ${orgId} AND account_id = ${accountId} AND id = ${id} RETURNING *`
            return rows.length === 0 ? Option.none() : Option.some(toNotification(rows[0]))
          }).pipe(Effect.orDie),
        markAllRead: (orgId, accountId, at) =>
          sql`UPDATE notifications SET read_at = ${DateTime.toDateUtc(at)}
            WHERE org_id = ${orgId} AND account_id = ${accountId} AND read_at IS NULL RETURNING id`.pipe(
            Effect.map((rows) => rows.length),
            Effect.orDie
          )
      })
    })
  )
