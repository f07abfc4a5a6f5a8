/**
 * The notification inbox, preferences and delivery claims on the {@link MemoryDatabase}
 * (`NotificationRepo`, `PreferenceRepo`, `DeliveryRepo`), as on PostgreSQL: the same
 * `NotificationReposContract` holds both to it. Each claim is decided in one step of the
 * database, as the unique key decides between servers.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer, Option } from "effect"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import { isUuid } from "../kernel/Ids.ts"
import type { PageRequest } from "../kernel/Pagination.ts"
import { Notification, type NotificationFilters } from "../notifications/Notification.ts"
import type { Channel } from "../notifications/NotificationKinds.ts"
import type { Setting, SettingChange } from "../notifications/NotificationPreferences.ts"
import { DeliveryRepo, NotificationRepo, PreferenceRepo } from "../notifications/NotificationRepos.ts"
import { MemoryDatabase, put, remove, rows } from "./MemoryDatabase.ts"
import { pageOf } from "./MemoryPages.ts"

interface NotificationRow {
  readonly notification: Notification
  readonly messageId: string
}

interface Claim {
  readonly claimedUntil: number
  readonly sentAt: DateTime.Utc | null
}

const notifications = rows<NotificationRow>("notifications")
// Settings by `org/account/event/channel`; the org's defaults under the account `*`.
const settings = rows<Setting>("notification_settings")
const claims = rows<Claim>("notification_deliveries")

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0)

// One person's notifications in one org.
const inboxOf = (database: MemoryDatabase["Service"], orgId: OrgId, accountId: AccountId) =>
  Effect.map(database.read(notifications), (table) =>
    [...table.values()]
      .map((row) => row.notification)
      .filter((one) => one.orgId === orgId && one.accountId === accountId)
  )

const inboxMethods = (database: MemoryDatabase["Service"]) => {
  const ofPerson = (orgId: OrgId, accountId: AccountId) => inboxOf(database, orgId, accountId)

  const insert = Effect.fn("MemoryNotificationRepo.insert")(function* (
    notification: Notification,
    messageId: string
  ) {
    return yield* database.modify(notifications, (table) =>
      [...table.values()].some(
        (row) => row.messageId === messageId && row.notification.accountId === notification.accountId
      )
        ? [false, table]
        : [true, put(table, notification.id, { notification, messageId })]
    )
  })

  const list = Effect.fn("MemoryNotificationRepo.list")(function* (
    orgId: OrgId,
    accountId: AccountId,
    filters: NotificationFilters,
    page: PageRequest
  ) {
    const mine = (yield* ofPerson(orgId, accountId)).filter(
      (one) => filters.unread !== true || one.readAt === null
    )
    return yield* pageOf(mine, {
      positionOf: (one) => [DateTime.toEpochMillis(one.createdAt), one.id],
      direction: "desc",
      limit: page.limit,
      cursor: page.cursor
    })
  })

  const countUnread = Effect.fn("MemoryNotificationRepo.countUnread")(function* (
    orgId: OrgId,
    accountId: AccountId
  ) {
    return (yield* ofPerson(orgId, accountId)).filter((one) => one.readAt === null).length
  })

  const markRead = Effect.fn("MemoryNotificationRepo.markRead")(function* (
    orgId: OrgId,
    accountId: AccountId,
    id: string,
    at: DateTime.Utc
  ) {
    return yield* database.modify(notifications, (table) => {
      const row = isUuid(id) ? table.get(id) : undefined
      if (row === undefined || row.notification.orgId !== orgId || row.notification.accountId !== accountId)
        return [Option.none(), table]
      const read = new Notification({
        ...row.notification,
        readAt: row.notification.readAt ?? at
      })
      return [Option.some(read), put(table, id, { ...row, notification: read })]
    })
  })

  const markAllRead = Effect.fn("MemoryNotificationRepo.markAllRead")(function* (
    orgId: OrgId,
    accountId: AccountId,
    at: DateTime.Utc
  ) {
    const unread = (yield* ofPerson(orgId, accountId)).filter((one) => one.readAt === null)
    yield* database.modify(notifications, (table) => {
      const next = new Map(table)
      for (const one of unread)
        next.set(one.id, {
          ...table.get(one.id)!,
          notification: new Notification({ ...one, readAt: at })
        })
      return [undefined, next]
    })
    return unread.length
  })

  return { insert, list, countUnread, markRead, markAllRead }
}

const settingsOf = (table: ReadonlyMap<string, Setting>, prefix: string) =>
  [...table.entries()]
    .filter(([key]) => key.startsWith(prefix))
    .map(([, setting]) => setting)
    .sort((a, b) => compare(a.event, b.event) || compare(a.channel, b.channel))

const preferenceMethods = (database: MemoryDatabase["Service"]) => {
  const own = Effect.fn("MemoryPreferenceRepo.own")(function* (orgId: OrgId, accountId: AccountId) {
    return settingsOf(yield* database.read(settings), `${orgId}/${accountId}/`)
  })

  const defaults = Effect.fn("MemoryPreferenceRepo.defaults")(function* (orgId: OrgId) {
    return settingsOf(yield* database.read(settings), `${orgId}/*/`)
  })

  const apply = Effect.fn("MemoryPreferenceRepo.apply")(function* (
    orgId: OrgId,
    accountId: AccountId | null,
    changes: ReadonlyArray<SettingChange>
  ) {
    yield* database.modify(settings, (table) => {
      let next = table
      for (const { event, channel, enabled } of changes) {
        const key = `${orgId}/${accountId ?? "*"}/${event}/${channel}`
        next = enabled === null ? remove(next, [key]) : put(next, key, { event, channel, enabled })
      }
      return [undefined, next]
    })
  })

  return { own, defaults, apply }
}

const deliveryMethods = (database: MemoryDatabase["Service"]) => {
  const keyOf = (messageId: string, recipient: string, channel: Channel) =>
    `${messageId}/${recipient}/${channel}`

  const claim = Effect.fn("MemoryDeliveryRepo.claim")(function* (
    messageId: string,
    recipient: string,
    channel: Channel,
    now: DateTime.Utc,
    until: DateTime.Utc
  ) {
    const key = keyOf(messageId, recipient, channel)
    return yield* database.modify(claims, (table) => {
      const held = table.get(key)
      // Taken unless sent, or claimed by someone whose claim has not run out.
      if (held !== undefined && (held.sentAt !== null || held.claimedUntil > DateTime.toEpochMillis(now)))
        return [false, table]
      return [true, put(table, key, { claimedUntil: DateTime.toEpochMillis(until), sentAt: null })]
    })
  })

  const markSent = Effect.fn("MemoryDeliveryRepo.markSent")(function* (
    messageId: string,
    recipient: string,
    channel: Channel,
    at: DateTime.Utc
  ) {
    const key = keyOf(messageId, recipient, channel)
    yield* database.modify(claims, (table) => {
      const held = table.get(key)
      return [undefined, held === undefined ? table : put(table, key, { ...held, sentAt: at })]
    })
  })

  const release = Effect.fn("MemoryDeliveryRepo.release")(function* (
    messageId: string,
    recipient: string,
    channel: Channel
  ) {
    const key = keyOf(messageId, recipient, channel)
    yield* database.modify(claims, (table) => [
      undefined,
      table.get(key)?.sentAt === null ? remove(table, [key]) : table
    ])
  })

  return { claim, markSent, release }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const notificationRepo: Layer.Layer<NotificationRepo, never, MemoryDatabase> = Layer.effect(
  NotificationRepo,
  Effect.map(Effect.service(MemoryDatabase), (database) => NotificationRepo.of({ ...inboxMethods(database) }))
)

/**
 * @since 0.1.0
 * @category layers
 */
export const preferenceRepo: Layer.Layer<PreferenceRepo, never, MemoryDatabase> = Layer.effect(
  PreferenceRepo,
  Effect.map(Effect.service(MemoryDatabase), (database) =>
    PreferenceRepo.of({ ...preferenceMethods(database) })
  )
)

/**
 * @since 0.1.0
 * @category layers
 */
export const deliveryRepo: Layer.Layer<DeliveryRepo, never, MemoryDatabase> = Layer.effect(
  DeliveryRepo,
  Effect.map(Effect.service(MemoryDatabase), (database) => DeliveryRepo.of({ ...deliveryMethods(database) }))
)

/**
 * The three ports, on the database in the context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<NotificationRepo | PreferenceRepo | DeliveryRepo, never, MemoryDatabase> =
  Layer.mergeAll(notificationRepo, preferenceRepo, deliveryRepo)
