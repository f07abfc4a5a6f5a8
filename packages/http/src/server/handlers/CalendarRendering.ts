/**
 * A calendar feed as iCalendar (RFC 5545): the core chooses the entries, this renders them with
 * ical-generator.
 *
 * @since 0.1.0
 */
import type { CalendarFeeds } from "@rota/core"
import { DateTime } from "effect"
import ical from "ical-generator"

/**
 * The `.ics` text of a served feed. Times are UTC; calendar apps show them in their own zone.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = (served: CalendarFeeds.Served): string => {
  const calendar = ical({
    name: `Rota: ${served.name}`,
    prodId: { company: "Rota", product: "Rota", language: "EN" },
    // Calendar apps poll the feed; an hour keeps them current without hammering the server.
    ttl: 60 * 60
  })
  for (const entry of served.entries) {
    calendar.createEvent({
      id: entry.uid,
      start: DateTime.toDateUtc(entry.startAt),
      end: DateTime.toDateUtc(entry.endAt),
      summary: entry.summary,
      description: `${entry.type} ${entry.sourceId}`,
      x: { "X-ROTA-TYPE": entry.type, "X-ROTA-ID": entry.sourceId }
    })
  }
  return calendar.toString()
}
