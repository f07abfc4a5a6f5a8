/**
 * The timeline of an intervention: what happened to it, by whom and when. Every transition,
 * edit, assignment change, part use, deletion and restore appends an event on its own;
 * technicians add notes. Events are never changed or removed.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { AccountId, OrgId, Uuid } from "../Ids.ts"
import { InterventionId } from "./Intervention.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const TimelineEventId = Uuid.pipe(Schema.brand("TimelineEventId"))
/** @since 0.1.0 @category ids */
export type TimelineEventId = typeof TimelineEventId.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const EventType = Schema.Literals([
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
  "part_used",
  "note"
])
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

/**
 * A note a technician adds: 1..4,000 characters, not blank.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Note = Schema.Struct({
  text: Schema.String.pipe(
    Schema.check(Schema.isBetweenLength(1, 4000), Schema.isPattern(/\S/, { message: "must not be blank" }))
  )
})
/** @since 0.1.0 @category models */
export type Note = typeof Note.Type
