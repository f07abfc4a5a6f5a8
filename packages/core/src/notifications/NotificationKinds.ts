/**
 * The kinds of event people are told about, the topics that raise them, their audiences (by
 * ownership or by role) and channels. Pure rules.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import type { Permission } from "../kernel/Permissions.ts"

/**
 * Every kind of event a person can be notified of.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EventKind = Schema.Literals([
  "waitlist.offer_made",
  "waitlist.offer_expiring",
  "waitlist.offer_expired",
  "booking.submitted",
  "booking_series.submitted",
  "booking.approved",
  "booking.rejected",
  "booking.due_soon",
  "booking.overdue",
  "booking.unit_not_returned",
  "fine.issued",
  "invitation",
  "password_reset",
  "intervention.assigned",
  "intervention.status_changed",
  "intervention.waiting_parts",
  "intervention.completed",
  "part.below_reorder_level",
  "mission.invitation",
  "assignment.accepted",
  "assignment.declined",
  "maintenance.due"
])
/** @since 0.1.0 @category models */
export type EventKind = typeof EventKind.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const Channel = Schema.Literals(["in_app", "email"])
/** @since 0.1.0 @category models */
export type Channel = typeof Channel.Type

/**
 * The topic a part's stock crossing below its reorder level is announced on.
 *
 * @since 0.1.0
 * @category topics
 */
export const partBelowReorderTopic = "part.below_reorder_level"

/**
 * The topic of the reminder that a checked-out booking is due back soon.
 *
 * @since 0.1.0
 * @category topics
 */
export const dueSoonTopic = "booking.due_soon"

/**
 * The topic of the reminder that a waitlist offer is about to expire.
 *
 * @since 0.1.0
 * @category topics
 */
export const offerExpiringTopic = "waitlist.offer_expiring"

/**
 * The topic technicians newly assigned to an intervention are announced on.
 *
 * @since 0.1.0
 * @category topics
 */
export const interventionAssignedTopic = "intervention.assigned"

/**
 * Who an event is for, before it is resolved to accounts.
 *
 * @since 0.1.0
 * @category models
 */
export type Audience =
  /** One account, as a member of the event's organisation (or of none, for account events). */
  | { readonly _tag: "Account"; readonly accountId: string }
  /** Several accounts of the event's organisation. */
  | { readonly _tag: "Accounts"; readonly accountIds: ReadonlyArray<string> }
  /** Every active member whose role allows `permission`: approvers, stock keepers, ... */
  | { readonly _tag: "Permitted"; readonly permission: Permission }
  /** Some accounts and every member whose role allows `permission`, each told once. */
  | {
      readonly _tag: "AccountsAndPermitted"
      readonly accountIds: ReadonlyArray<string>
      readonly permission: Permission
    }
  /** The client of an intervention. */
  | { readonly _tag: "InterventionClient"; readonly interventionId: string }
  /** An address with no account yet (an invitation). */
  | { readonly _tag: "Address"; readonly email: string }
  /** Whoever the secret link's record names (a password reset): found when the link is signed. */
  | { readonly _tag: "LinkHolder" }

/**
 * An outbox message read as a notification event.
 *
 * @since 0.1.0
 * @category models
 */
export interface Event {
  readonly kind: EventKind
  readonly audience: Audience
  /** What the message is about, for links: `booking`, `intervention`, ... */
  readonly subjectType: string
  readonly subjectId: string
  /** Values the templates show; never secrets. */
  readonly facts: Readonly<Record<string, string | number | null>>
}

/**
 * Kinds whose email carries a secret link: signed at delivery, sent whatever the preferences
 * say (it is the only way to use the link), and never stored.
 *
 * @since 0.1.0
 * @category rules
 */
export const secretKinds: ReadonlySet<EventKind> = new Set([
  "password_reset",
  "invitation",
  "mission.invitation"
])

/**
 * Kinds that go to an address, not to a member of an organisation: email only.
 *
 * @since 0.1.0
 * @category rules
 */
export const emailOnlyKinds: ReadonlySet<EventKind> = new Set(["password_reset", "invitation"])

/**
 * The channels an event kind can use.
 *
 * @since 0.1.0
 * @category rules
 */
export const channelsOf = (kind: EventKind): ReadonlyArray<Channel> =>
  emailOnlyKinds.has(kind) ? ["email"] : ["in_app", "email"]

/**
 * Whether a channel of a kind is always on: the email of a secret link.
 *
 * @since 0.1.0
 * @category rules
 */
export const isMandatory = (kind: EventKind, channel: Channel): boolean =>
  channel === "email" && secretKinds.has(kind)
