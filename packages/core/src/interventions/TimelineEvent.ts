/**
 * The timeline of an intervention: what happened to it, by whom and when. Every transition,
 * edit, assignment change, part use, deletion and restore appends an event on its own;
 * technicians add notes and other typed events (a diagnosis, a call to the customer, a photo).
 * Events are never changed or removed.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { InterventionId } from "./Intervention.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const TimelineEventId = Uuid.pipe(Schema.brand("TimelineEventId"))
/** @since 0.1.0 @category ids */
export type TimelineEventId = typeof TimelineEventId.Type

/**
 * The events only the system appends, as the work itself changes: a client posting one would
 * forge the intervention's history.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SystemEventType = Schema.Literals([
  "created",
  "started",
  "updated",
  "waiting_parts",
  "completed",
  "cancelled",
  "deleted",
  "restored",
  "assigned",
  "unassigned",
  "part_used"
])
/** @since 0.1.0 @category models */
export type SystemEventType = typeof SystemEventType.Type

/**
 * The events people post on the timeline (garage work): what they found, who they called,
 * what they photographed, what was quoted and agreed, how the test went.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PostedEventType = Schema.Literals([
  "note",
  "diagnosis",
  "customer_contacted",
  "photo",
  "quote_sent",
  "customer_approved",
  "test_drive"
])
/** @since 0.1.0 @category models */
export type PostedEventType = typeof PostedEventType.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const EventType = Schema.Literals([...SystemEventType.literals, ...PostedEventType.literals])
/** @since 0.1.0 @category models */
export type EventType = typeof EventType.Type

/**
 * @since 0.1.0
 * @category models
 */
export class TimelineEvent extends Schema.Class<TimelineEvent>("@rota/core/TimelineEvent")({
  id: TimelineEventId,
  orgId: OrgId,
  interventionId: InterventionId,
  type: EventType,
  /** `null` for changes the system made on its own. */
  actorId: Schema.NullOr(AccountId),
  at: Schema.DateTimeUtc,
  /** What the event is about: the fields edited, the statuses, the people, the part, the text. */
  data: Schema.Json
}) {}

const Text = Schema.String.pipe(
  Schema.check(Schema.isBetweenLength(1, 4000), Schema.isPattern(/\S/, { message: "must not be blank" }))
)

/**
 * A note a technician adds: 1..4,000 characters, not blank.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Note = Schema.Struct({ text: Text })
/** @since 0.1.0 @category models */
export type Note = typeof Note.Type

/**
 * A typed event a technician posts: its type and what there is to say about it (1..4,000
 * characters, not blank). A posted `note` is stored like one added as a note (`{ text }`);
 * the other types keep `{ details }`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PostedEvent = Schema.Struct({
  type: PostedEventType,
  details: Text
})
/** @since 0.1.0 @category models */
export type PostedEvent = typeof PostedEvent.Type

/**
 * The data a posted event is stored with.
 *
 * @since 0.1.0
 * @category rules
 */
export const dataOf = (event: PostedEvent): Record<string, unknown> =>
  event.type === "note" ? { text: event.details } : { details: event.details }
