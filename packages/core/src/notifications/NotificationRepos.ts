/**
 * The storage ports of notifications: the in-app inbox, the preferences, the deliveries
 * (each message reaches each recipient on each channel once), and the directory that turns an
 * audience into people.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect, type Option } from "effect"
import type { ValidationFailed } from "../kernel/Errors.ts"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import type { Role } from "../kernel/Role.ts"
import type { Notification, NotificationFilters } from "./Notification.ts"
import type { Channel } from "./NotificationEvents.ts"
import type { Setting, SettingChange } from "./NotificationPreferences.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class NotificationRepo extends Context.Service<
  NotificationRepo,
  {
    /** Adds it unless this account already has one for this outbox message; answers whether it did. */
    readonly insert: (notification: Notification, messageId: string) => Effect.Effect<boolean>
    /** Newest first. */
    readonly list: (
      orgId: OrgId,
      accountId: AccountId,
      filters: NotificationFilters,
      page: PageRequest
    ) => Effect.Effect<Page<Notification>, ValidationFailed>
    readonly countUnread: (orgId: OrgId, accountId: AccountId) => Effect.Effect<number>
    /** Marks it read (if unread) and answers it; none when it is not this account's. */
    readonly markRead: (
      orgId: OrgId,
      accountId: AccountId,
      id: string,
      at: DateTime.Utc
    ) => Effect.Effect<Option.Option<Notification>>
    /** Answers how many were unread. */
    readonly markAllRead: (orgId: OrgId, accountId: AccountId, at: DateTime.Utc) => Effect.Effect<number>
  }
>()("@rota/core/notifications/NotificationRepo") {}

/**
 * @since 0.1.0
 * @category services
 */
export class PreferenceRepo extends Context.Service<
  PreferenceRepo,
  {
    /** An account's own settings in an organisation. */
    readonly own: (orgId: OrgId, accountId: AccountId) => Effect.Effect<ReadonlyArray<Setting>>
    /** The organisation's defaults. */
    readonly defaults: (orgId: OrgId) => Effect.Effect<ReadonlyArray<Setting>>
    /** Applies changes to an account's settings (`accountId`) or to the organisation's defaults (`null`). */
    readonly apply: (
      orgId: OrgId,
      accountId: AccountId | null,
      changes: ReadonlyArray<SettingChange>
    ) => Effect.Effect<void>
  }
>()("@rota/core/notifications/PreferenceRepo") {}

/**
 * Exactly-once delivery per outbox message, recipient and channel, across servers: a claim is
 * a row under a unique key; a claim whose holder crashed before sending runs out and may be
 * taken again, a sent one never.
 *
 * @since 0.1.0
 * @category services
 */
export class DeliveryRepo extends Context.Service<
  DeliveryRepo,
  {
    /** Answers whether this caller now holds the claim (until `until`). */
    readonly claim: (
      messageId: string,
      recipient: string,
      channel: Channel,
      now: DateTime.Utc,
      until: DateTime.Utc
    ) => Effect.Effect<boolean>
    readonly markSent: (
      messageId: string,
      recipient: string,
      channel: Channel,
      at: DateTime.Utc
    ) => Effect.Effect<void>
    /** Gives a claim back after a failed send, so the retry may send. */
    readonly release: (messageId: string, recipient: string, channel: Channel) => Effect.Effect<void>
  }
>()("@rota/core/notifications/DeliveryRepo") {}

/**
 * A person notifications can reach.
 *
 * @since 0.1.0
 * @category models
 */
export interface Recipient {
  readonly accountId: AccountId
  readonly email: string
}

/**
 * @since 0.1.0
 * @category services
 */
export class NotificationDirectory extends Context.Service<
  NotificationDirectory,
  {
    /** Active members of the organisation with one of `roles`. */
    readonly withRoles: (orgId: OrgId, roles: ReadonlyArray<Role>) => Effect.Effect<ReadonlyArray<Recipient>>
    /** The given accounts that are active members of the organisation. */
    readonly members: (
      orgId: OrgId,
      accountIds: ReadonlyArray<string>
    ) => Effect.Effect<ReadonlyArray<Recipient>>
    /** An intervention's number, title and client. */
    readonly intervention: (
      orgId: OrgId,
      id: string
    ) => Effect.Effect<
      Option.Option<{ readonly number: string; readonly title: string; readonly clientId: AccountId | null }>
    >
  }
>()("@rota/core/notifications/NotificationDirectory") {}

/**
 * Something due that a reminder is about: its organisation, its id, whom it concerns and when
 * it is due.
 *
 * @since 0.1.0
 * @category models
 */
export interface Due {
  readonly orgId: OrgId
  readonly id: string
  readonly accountId: AccountId
  readonly dueAt: DateTime.Utc
}

/**
 * Reminders of what falls due, each claimed once (per subject and due time) across servers, in
 * the caller's transaction.
 *
 * @since 0.1.0
 * @category services
 */
export class ReminderRepo extends Context.Service<
  ReminderRepo,
  {
    /** Checked-out bookings due back in `(now, until]` not yet reminded of, claimed. */
    readonly claimDueSoon: (
      now: DateTime.Utc,
      until: DateTime.Utc,
      limit: number
    ) => Effect.Effect<ReadonlyArray<Due>>
    /** Offers expiring in `(now, until]` not yet reminded of, claimed. */
    readonly claimExpiringOffers: (
      now: DateTime.Utc,
      until: DateTime.Utc,
      limit: number
    ) => Effect.Effect<ReadonlyArray<Due>>
  }
>()("@rota/core/notifications/ReminderRepo") {}
