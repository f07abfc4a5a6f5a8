/**
 * A calendar feed: a secret URL serving a person's or a resource's time (bookings, crew
 * assignments, interventions, approved leave) as iCalendar. The URL's token is shown once and
 * stored only as a hash; revoking the feed makes the URL unknown at once.
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Schema } from "effect"
import type { Booking } from "../bookings/Booking.ts"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import type { Allocation } from "../ledger/Ledger.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const CalendarFeedId = Uuid.pipe(Schema.brand("CalendarFeedId"))
/** @since 0.1.0 @category ids */
export type CalendarFeedId = typeof CalendarFeedId.Type

/**
 * Whose time the feed serves: a person (an account of the org) or a resource (all its units).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FeedKind = Schema.Literals(["person", "resource"])
/** @since 0.1.0 @category models */
export type FeedKind = typeof FeedKind.Type

/**
 * A live feed as its owner and managers see it: never its token.
 *
 * @since 0.1.0
 * @category models
 */
export class CalendarFeed extends Schema.Class<CalendarFeed>("@rota/core/calendars/CalendarFeed")({
  id: CalendarFeedId,
  orgId: OrgId,
  kind: FeedKind,
  subjectId: Uuid,
  createdBy: AccountId,
  createdAt: Schema.DateTimeUtc
}) {}

/**
 * What a feed lists: the ledger's claims, waitlist offers aside (held for minutes, not plans).
 *
 * @since 0.1.0
 * @category schemas
 */
export const EntryType = Schema.Literals(["booking", "assignment", "intervention", "leave"])
/** @since 0.1.0 @category models */
export type EntryType = typeof EntryType.Type

/**
 * One event of a feed. `uid` depends only on what claimed the time and whose time it is, so a
 * calendar client sees a moved booking as the same event, moved.
 *
 * @since 0.1.0
 * @category models
 */
export interface CalendarEntry {
  readonly uid: string
  readonly type: EntryType
  readonly sourceId: string
  readonly startAt: DateTime.Utc
  readonly endAt: DateTime.Utc
  readonly summary: string
}

/**
 * The window a feed covers around now: calendar clients poll it, so it stays bounded.
 *
 * @since 0.1.0
 * @category constants
 */
export const window = { past: Duration.days(30), ahead: Duration.days(180) } as const

/**
 * The window around `now`.
 *
 * @since 0.1.0
 * @category rules
 */
export const windowAround = (now: DateTime.Utc) => ({
  startAt: DateTime.subtractDuration(now, window.past),
  endAt: DateTime.addDuration(now, window.ahead)
})

const summaries: Readonly<Record<EntryType, string>> = {
  booking: "Booking",
  assignment: "Crew assignment",
  intervention: "Intervention",
  leave: "Leave"
}

const isEntryType = Schema.is(EntryType)

/**
 * The feed's entries from its subjects' allocations, by start time; `label` names the unit or
 * person in each summary when the feed covers several.
 *
 * @since 0.1.0
 * @category rules
 */
export const entriesOf = (
  allocations: ReadonlyArray<Allocation>,
  label: (subjectId: string) => string | undefined = () => undefined
): ReadonlyArray<CalendarEntry> =>
  allocations
    .flatMap((allocation): Array<CalendarEntry> => {
      const type = allocation.source.type
      if (!isEntryType(type)) return []
      const name = label(allocation.subject.id)
      return [
        {
          uid: `${type}-${allocation.source.id}-${allocation.subject.id}@rota`,
          type,
          sourceId: allocation.source.id,
          startAt: allocation.interval.startAt,
          endAt: allocation.interval.endAt,
          summary: name === undefined ? summaries[type] : `${summaries[type]}: ${name}`
        }
      ]
    })
    .sort(byStart)

/**
 * A person's own bookings (which claim units, not the person's time) as entries of their feed.
 *
 * @since 0.1.0
 * @category rules
 */
export const bookingEntries = (
  bookings: ReadonlyArray<Booking>,
  personId: string
): ReadonlyArray<CalendarEntry> =>
  bookings.map((booking) => ({
    uid: `booking-${booking.id}-${personId}@rota`,
    type: "booking",
    sourceId: booking.id,
    startAt: booking.startAt,
    endAt: booking.endAt,
    summary: `Booking: ${booking.purpose}`
  }))

/**
 * The entries of a feed in calendar order: by start, then by UID.
 *
 * @since 0.1.0
 * @category rules
 */
export const byStart = (a: CalendarEntry, b: CalendarEntry): number =>
  DateTime.toEpochMillis(a.startAt) - DateTime.toEpochMillis(b.startAt) || (a.uid < b.uid ? -1 : 1)

/**
 * Compares two digests in time that depends on their length only, so a guess learns nothing
 * from how long the refusal took.
 *
 * @since 0.1.0
 * @category rules
 */
export const sameDigest = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false
  let difference = 0
  for (let index = 0; index < a.length; index++) difference |= a.charCodeAt(index) ^ b.charCodeAt(index)
  return difference === 0
}
