/**
 * The notification ports on PostgreSQL: the inbox (`PgNotificationRepo`), the preferences, the
 * delivery claims and the directory of recipients.
 *
 * @since 0.1.0
 */
import { Ids, InterventionRules, NotificationPreferences, NotificationRepos, type Role } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient, type Statement } from "effect/sql"
import { notificationRepo } from "./PgNotificationRepo.ts"

export {
  /** @since 0.1.0 */
  notificationRepo
} from "./PgNotificationRepo.ts"

const SettingRow = Schema.Struct({ event: Schema.String, channel: Schema.String, enabled: Schema.Boolean })
const decodeSettings = Schema.decodeUnknownSync(Schema.Array(SettingRow))

// Rows of an event kind a later version no longer knows are ignored, not fatal.
const toSettings = (rows: unknown) =>
  decodeSettings(rows).flatMap((row) =>
    Option.toArray(
      Schema.decodeUnknownOption(NotificationPreferences.Setting)({
        event: row.event,
        channel: row.channel,
        enabled: row.enabled
      })
    )
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const preferenceRepo: Layer.Layer<NotificationRepos.PreferenceRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    NotificationRepos.PreferenceRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return NotificationRepos.PreferenceRepo.of({
        own: (orgId, accountId) =>
          sql`SELECT event, channel, enabled FROM notification_preferences
            WHERE org_id = ${orgId} AND account_id = ${accountId} ORDER BY event, channel`.pipe(
            Effect.map(toSettings),
            Effect.orDie
          ),
        defaults: (orgId) =>
          sql`SELECT event, channel, enabled FROM notification_defaults
            WHERE org_id = ${orgId} ORDER BY event, channel`.pipe(Effect.map(toSettings), Effect.orDie),
        apply: (orgId, accountId, changes) =>
          Effect.forEach(
            changes,
            (change) =>
              accountId === null
                ? change.enabled === null
                  ? sql`DELETE FROM notification_defaults
                      WHERE org_id = ${orgId} AND event = ${change.event} AND channel = ${change.channel}`
                  : sql`INSERT INTO notification_defaults ${sql.insert({
                      org_id: orgId,
                      event: change.event,
                      channel: change.channel,
                      enabled: change.enabled
                    })} ON CONFLICT (org_id, event, channel) DO UPDATE SET enabled = EXCLUDED.enabled`
                : change.enabled === null
                  ? sql`DELETE FROM notification_preferences
                      WHERE org_id = ${orgId} AND account_id = ${accountId}
                        AND event = ${change.event} AND channel = ${change.channel}`
                  : sql`INSERT INTO notification_preferences ${sql.insert({
                      org_id: orgId,
                      account_id: accountId,
                      event: change.event,
                      channel: change.channel,
                      enabled: change.enabled
                    })} ON CONFLICT (org_id, account_id, event, channel) DO UPDATE SET enabled = EXCLUDED.enabled`,
            { discard: true }
          ).pipe(Effect.orDie)
      })
    })
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const deliveryRepo: Layer.Layer<NotificationRepos.DeliveryRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    NotificationRepos.DeliveryRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return NotificationRepos.DeliveryRepo.of({
        // One statement: the unique key decides between servers racing for the same claim, and a
        // claim whose holder never sent (it crashed) is taken over once it ran out.
        claim: (messageId, recipient, channel, now, until) =>
          sql`INSERT INTO notification_deliveries ${sql.insert({
            message_id: messageId,
            recipient,
            channel,
            claimed_until: DateTime.toDateUtc(until),
            sent_at: null
          })}
          ON CONFLICT (message_id, recipient, channel) DO UPDATE SET claimed_until = EXCLUDED.claimed_until
            WHERE notification_deliveries.sent_at IS NULL AND notification_deliveries.claimed_until <= ${DateTime.toDateUtc(now)}
          RETURNING message_id`.pipe(
            Effect.map((rows) => rows.length > 0),
            Effect.orDie
          ),
        markSent: (messageId, recipient, channel, at) =>
          sql`UPDATE notification_deliveries SET sent_at = ${DateTime.toDateUtc(at)}
            WHERE message_id = ${messageId} AND recipient = ${recipient} AND channel = ${channel}`.pipe(
            Effect.asVoid,
            Effect.orDie
          ),
        release: (messageId, recipient, channel) =>
          sql`DELETE FROM notification_deliveries
            WHERE message_id = ${messageId} AND recipient = ${recipient} AND channel = ${channel}
              AND sent_at IS NULL`.pipe(Effect.asVoid, Effect.orDie)
      })
    })
  )

const RecipientRow = Schema.Struct({ account_id: Schema.String, email: Schema.String })
const decodeRecipients = Schema.decodeUnknownSync(Schema.Array(RecipientRow))
const toRecipients = (rows: unknown): ReadonlyArray<NotificationRepos.Recipient> =>
  decodeRecipients(rows).map((row) => ({ accountId: Ids.AccountId.make(row.account_id), email: row.email }))

/**
 * @since 0.1.0
 * @category layers
 */
export const directory: Layer.Layer<NotificationRepos.NotificationDirectory, never, SqlClient.SqlClient> =
  Layer.effect(
    NotificationRepos.NotificationDirectory,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      // Only people who can still read them: active accounts with a live, active membership.
      const active = sql`m.is_active AND m.deleted_at IS NULL AND a.is_active`
      return NotificationRepos.NotificationDirectory.of({
        withRoles: (orgId, roles: ReadonlyArray<Role.Role>) =>
          roles.length === 0
            ? Effect.succeed([])
            : sql`SELECT a.id AS account_id, a.email FROM memberships m JOIN accounts a ON a.id = m.account_id
                WHERE m.org_id = ${orgId} AND m.role IN ${sql.in(roles)} AND ${active}
                ORDER BY a.id`.pipe(Effect.map(toRecipients), Effect.orDie),
        members: (orgId, accountIds) => {
          const valid = accountIds.filter(Schema.is(Ids.Uuid))
          return valid.length === 0
            ? Effect.succeed([])
            : sql`SELECT a.id AS account_id, a.email FROM memberships m JOIN accounts a ON a.id = m.account_id
                WHERE m.org_id = ${orgId} AND m.account_id IN ${sql.in(valid)} AND ${active}
                ORDER BY a.id`.pipe(Effect.map(toRecipients), Effect.orDie)
        },
        intervention: (orgId, id) =>
          Schema.is(Ids.Uuid)(id)
            ? sql<{ number: number; title: string; client_id: string | null }>`
                SELECT number, title, client_id FROM interventions WHERE org_id = ${orgId} AND id = ${id}`.pipe(
                Effect.map((rows) =>
                  Option.map(Option.fromNullishOr(rows[0]), (row) => ({
                    number: InterventionRules.formatNumber(Number(row.number)),
                    title: row.title,
                    clientId: row.client_id === null ? null : Ids.AccountId.make(row.client_id)
                  }))
                ),
                Effect.orDie
              )
            : Effect.succeed(Option.none())
      })
    })
  )

const DueRow = Schema.Struct({
  org_id: Schema.String,
  id: Schema.String,
  account_id: Schema.String,
  due_at: Schema.Date
})
const decodeDue = Schema.decodeUnknownSync(Schema.Array(DueRow))
const toDue = (rows: unknown): ReadonlyArray<NotificationRepos.Due> =>
  decodeDue(rows).map((row) => ({
    orgId: Ids.OrgId.make(row.org_id),
    id: row.id,
    accountId: Ids.AccountId.make(row.account_id),
    dueAt: DateTime.fromDateUnsafe(row.due_at)
  }))

/**
 * @since 0.1.0
 * @category layers
 */
export const reminderRepo: Layer.Layer<NotificationRepos.ReminderRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    NotificationRepos.ReminderRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      // Candidates not reminded of yet, then claimed under the unique key: of servers racing for
      // one, only the insert that wins returns it.
      const claim = (kind: string, candidates: Statement.Fragment, now: Date) =>
        sql`WITH due AS (${candidates}),
        claimed AS (
          INSERT INTO notification_reminders (kind, org_id, subject_id, due_at, created_at)
          SELECT ${kind}, org_id, id, due_at, ${now} FROM due
          ON CONFLICT DO NOTHING
          RETURNING subject_id, due_at)
        SELECT due.org_id, due.id, due.account_id, due.due_at
        FROM due JOIN claimed ON claimed.subject_id = due.id AND claimed.due_at = due.due_at`.pipe(
          Effect.map(toDue),
          Effect.orDie
        )
      return NotificationRepos.ReminderRepo.of({
        claimDueSoon: (now, until, limit) =>
          claim(
            "booking.due_soon",
            sql`SELECT b.org_id, b.id, b.requester_id AS account_id, b.end_at AS due_at FROM bookings b
            WHERE b.status = 'CHECKED_OUT' AND b.end_at > ${DateTime.toDateUtc(now)} AND b.end_at <= ${DateTime.toDateUtc(until)}
              AND NOT EXISTS (SELECT 1 FROM notification_reminders r
                WHERE r.kind = 'booking.due_soon' AND r.subject_id = b.id AND r.due_at = b.end_at)
            ORDER BY b.end_at LIMIT ${limit}`,
            DateTime.toDateUtc(now)
          ),
        claimExpiringOffers: (now, until, limit) =>
          claim(
            "waitlist.offer_expiring",
            sql`SELECT w.org_id, w.id, w.requester_id AS account_id, w.offer_expires_at AS due_at
            FROM waitlist_entries w
            WHERE w.status = 'OFFERED' AND w.offer_expires_at > ${DateTime.toDateUtc(now)} AND w.offer_expires_at <= ${DateTime.toDateUtc(until)}
              AND NOT EXISTS (SELECT 1 FROM notification_reminders r
                WHERE r.kind = 'waitlist.offer_expiring' AND r.subject_id = w.id
                  AND r.due_at = w.offer_expires_at)
            ORDER BY w.offer_expires_at LIMIT ${limit}`,
            DateTime.toDateUtc(now)
          )
      })
    })
  )

/**
 * Every notification port.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.mergeAll(notificationRepo, preferenceRepo, deliveryRepo, directory, reminderRepo)

/**
 * Deletes delivery claims sent before `before` (their messages are purged too), and reminders
 * whose due time is that old; answers how many.
 *
 * @since 0.1.0
 * @category maintenance
 */
export const purgeDeliveries = (before: DateTime.Utc) =>
  Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) =>
    Effect.zipWith(
      sql`DELETE FROM notification_deliveries WHERE sent_at < ${DateTime.toDateUtc(before)} RETURNING message_id`,
      sql`DELETE FROM notification_reminders WHERE due_at < ${DateTime.toDateUtc(before)} RETURNING kind`,
      (deliveries, reminders) => deliveries.length + reminders.length
    )
  ).pipe(Effect.orDie)
