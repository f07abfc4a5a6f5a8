/**
 * An in-app notification: one event told to one account of one organisation, unread until
 * the account marks it read.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { EventKind } from "./NotificationEvents.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const NotificationId = Uuid.pipe(Schema.brand("NotificationId"))
/** @since 0.1.0 @category ids */
export type NotificationId = typeof NotificationId.Type

/**
 * @since 0.1.0
 * @category models
 */
export class Notification extends Schema.Class<Notification>("@rota/core/Notification")({
  id: NotificationId,
  orgId: OrgId,
  accountId: AccountId,
  event: EventKind,
  /** One line, as the email's subject. */
  title: Schema.String,
  body: Schema.String,
  /** What it is about, for a link: `booking`, `intervention`, ... */
  subjectType: Schema.String,
  subjectId: Schema.String,
  createdAt: Schema.DateTimeUtc,
  readAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * @since 0.1.0
 * @category models
 */
export interface NotificationFilters {
  /** Only unread notifications. */
  readonly unread?: boolean | undefined
}
