/**
 * How bookings are read back: a booking with its items, and the statement of each listing (the
 * plan tests EXPLAIN it).
 *
 * @since 0.1.0
 */
import { Booking, type Records } from "@rota/core"
import { DateTime } from "effect"
import type { SqlClient, Statement } from "effect/sql"
import type * as Keyset from "./Keyset.ts"
import * as Windows from "./Windows.ts"

const bookingSorts: Record<Booking.BookingSort, Keyset.Column> = {
  startAt: { name: "start_at", kind: "timestamp" },
  createdAt: { name: "created_at", kind: "timestamp" }
}

const itemsOf = (sql: SqlClient.SqlClient) => sql`(
    SELECT json_agg(json_build_object('unitId', unit_id, 'resourceId', resource_id) ORDER BY unit_id)
    FROM booking_items
    WHERE booking_items.org_id = bookings.org_id AND booking_items.booking_id = bookings.id
  ) AS items`

/**
 * Every booking with its items (a JSON list, in unit order).
 *
 * @since 0.1.0
 * @category sql
 */
export const withItems = (sql: SqlClient.SqlClient) => sql`SELECT bookings.*, ${itemsOf(sql)} FROM bookings`

// The booking's keys its items carry (migration 0040), under the booking's column names.
const itemKeys: Readonly<Record<string, string>> = {
  id: "booking_id",
  org_id: "org_id",
  start_at: "start_at",
  created_at: "created_at",
  status: "status"
}

// The entity's columns (`items` is read apart): a listing from items names each one, taking the
// keys it orders, splits and pages by from the item.
const bookingColumns = Object.keys(Booking.Booking.fields)
  .filter((field) => field !== "items")
  .map((field) => field.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`))

/**
 * The items a listing reads in page order: a unit's or a resource's.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListedItems {
  readonly column: "unit_id" | "resource_id"
  readonly id: string
}

/**
 * The bookings of a unit or a resource, read from their items in page order: `id`, `start_at`,
 * `created_at` and `status` are the item's copies (equal to the booking's, migration 0040), so
 * the listing's order, status ranges and cursor bound the range of an index on the items
 * (migrations 0040 and 0041), and each booking of the page is one primary-key lookup. A unit
 * holds one item of a booking, a resource as many as the booking has of its units: a booking
 * comes once per item, each copy with the same keys.
 *
 * @since 0.1.0
 * @category sql
 */
export const itemBookings = (
  sql: SqlClient.SqlClient,
  orgId: string,
  item: ListedItems
): Statement.Fragment => {
  const columns = bookingColumns.map((column) =>
    itemKeys[column] === undefined
      ? sql`bookings.${sql(column)}`
      : sql`listed_items.${sql(itemKeys[column])} AS ${sql(column)}`
  )
  return sql`SELECT ${sql.join(", ", false)(columns)}, ${itemsOf(sql)}
    FROM booking_items AS listed_items
    JOIN bookings ON bookings.org_id = listed_items.org_id AND bookings.id = listed_items.booking_id
    WHERE listed_items.org_id = ${orgId} AND listed_items.${sql(item.column)} = ${item.id}`
}

/**
 * The items a listing is read from: a unit's when it names a unit (a resource is then a
 * condition on the booking's items), else a resource's; none without either.
 *
 * @since 0.1.0
 * @category sql
 */
export const listedItems = (filters: Booking.BookingFilters): ListedItems | undefined =>
  filters.unitId !== undefined
    ? { column: "unit_id", id: filters.unitId }
    : filters.resourceId !== undefined
      ? { column: "resource_id", id: filters.resourceId }
      : undefined

/**
 * How a booking listing is read. Every filter and sort has an index path (the plan tests check
 * each on an org of 100k bookings): a status set is read as one ordered range per status, merged;
 * a window's `from` also bounds `start_at` by the org's longest booking; a unit's or a resource's
 * bookings are read from their items ({@link itemBookings}), a resource's each once.
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
  const items = listedItems(filters)
  return {
    source: items === undefined ? sql`(${withItems(sql)})` : sql`(${itemBookings(sql, orgId, items)})`,
    // A booking of two of the resource's units is read twice, the copies adjacent in page order.
    distinct: items?.column === "resource_id",
    conditions: [
      sql`org_id = ${orgId}`,
      filters.requesterId === undefined ? undefined : sql`requester_id = ${filters.requesterId}`,
      filters.resourceId === undefined || items?.column === "resource_id"
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
