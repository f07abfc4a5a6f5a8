/**
 * How bookings are read back: a booking with its items, and the statement of each listing (the
 * plan tests EXPLAIN it).
 *
 * @since 0.1.0
 */
import type { Booking, Records } from "@rota/core"
import { DateTime } from "effect"
import type { SqlClient } from "effect/sql"
import type * as Keyset from "./Keyset.ts"
import * as Windows from "./Windows.ts"

const bookingSorts: Record<Booking.BookingSort, Keyset.Column> = {
  startAt: { name: "start_at", kind: "timestamp" },
  createdAt: { name: "created_at", kind: "timestamp" }
}

/**
 * Every booking with its items (a JSON list, in unit order).
 *
 * @since 0.1.0
 * @category sql
 */
export const withItems = (sql: SqlClient.SqlClient) => sql`SELECT bookings.*, (
    SELECT json_agg(json_build_object('unitId', unit_id, 'resourceId', resource_id) ORDER BY unit_id)
    FROM booking_items
    WHERE booking_items.org_id = bookings.org_id AND booking_items.booking_id = bookings.id
  ) AS items
  FROM bookings`

/**
 * How a booking listing is read. Every filter and sort has an index path (the plan tests check
 * each on an org of 100k bookings): a status set is read as one ordered range per status, merged;
 * a window's `from` also bounds `start_at` by the org's longest booking.
 *
 * @since 0.1.0
 * @category sql
 */
export const listOptions = (
  sql: SqlClient.SqlClient,
  orgId: string,
  query: Records.ListQuery<Booking.BookingFilters, Booking.BookingSort>
): Keyset.PageOptions => {
  const filters = query.filters
  const sort = query.sort ?? { field: "startAt", direction: "asc" }
  return {
    source: sql`(${withItems(sql)})`,
    conditions: [
      sql`org_id = ${orgId}`,
      filters.requesterId === undefined ? undefined : sql`requester_id = ${filters.requesterId}`,
      filters.unitId === undefined
        ? undefined
        : sql`EXISTS (SELECT 1 FROM booking_items WHERE booking_items.org_id = record.org_id
            AND booking_items.booking_id = record.id AND booking_items.unit_id = ${filters.unitId})`,
      filters.resourceId === undefined
        ? undefined
        : sql`EXISTS (SELECT 1 FROM booking_items WHERE booking_items.org_id = record.org_id
            AND booking_items.booking_id = record.id AND booking_items.resource_id = ${filters.resourceId})`,
      filters.from === undefined ? undefined : sql`end_at > ${DateTime.toDateUtc(filters.from)}`,
      // Implied by the line above; it bounds the index range on start_at (the org's longest
      // booking is one index lookup, run once per statement).
      filters.from === undefined
        ? undefined
        : Windows.startsAfter(sql, { table: "bookings", orgId, from: DateTime.toDateUtc(filters.from) }),
      filters.to === undefined ? undefined : sql`start_at < ${DateTime.toDateUtc(filters.to)}`
    ],
    split: { column: "status", values: filters.statuses },
    column: bookingSorts[sort.field],
    direction: sort.direction,
    limit: query.limit,
    cursor: query.cursor
  }
}
