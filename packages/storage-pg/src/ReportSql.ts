/**
 * The statements of the reports: each aggregates in the database (GROUP BY), so an answer is
 * one row per unit, client or technician however many bookings, fines or interventions the
 * window holds. They are exported for the plan test, which checks each reads its tables through
 * an index at a large seeded size.
 *
 * @since 0.1.0
 */
import type { SqlClient } from "effect/sql"
import * as Windows from "./Windows.ts"

/**
 * A report's window as the dates the statements bind.
 *
 * @since 0.1.0
 * @category models
 */
export interface Bounds {
  readonly from: Date
  readonly to: Date
}

// The statuses whose bookings count as booked: those holding the ledger now, and returned ones,
// which held it over their time (otherwise a past window would show nothing booked).
const bookedStatuses = ["PENDING", "APPROVED", "CHECKED_OUT", "OVERDUE", "RETURNED"] as const

const openStatuses = ["PENDING", "IN_PROGRESS", "WAITING_PARTS"] as const

/**
 * Booked and closed seconds of each live unit of the org's live resources, clipped to the window.
 * A window `from` also bounds `start_at` by the org's longest booking, so the booking index is
 * read from the window, not from the start of the org's history.
 *
 * @since 0.1.0
 * @category statements
 */
export const unitUtilisation = (sql: SqlClient.SqlClient, orgId: string, { from, to }: Bounds) =>
  sql`WITH units AS (
      SELECT u.id AS unit_id, u.barcode AS unit_barcode, r.id AS resource_id, r.name AS resource_name
      FROM resource_units u JOIN resources r ON r.org_id = u.org_id AND r.id = u.resource_id
      WHERE u.org_id = ${orgId} AND u.deleted_at IS NULL AND r.deleted_at IS NULL
    ), booked AS (
      SELECT i.unit_id, count(*)::int AS bookings,
        sum(extract(epoch FROM least(b.end_at, ${to}::timestamptz) - greatest(b.start_at, ${from}::timestamptz)))::float8 AS seconds
      FROM bookings b JOIN booking_items i ON i.org_id = b.org_id AND i.booking_id = b.id
      WHERE b.org_id = ${orgId} AND b.status IN ${sql.in(bookedStatuses)}
        AND b.start_at < ${to} AND b.end_at > ${from}
        AND ${Windows.startsAfter(sql, { table: "bookings", orgId, from, column: sql`b.start_at` })}
      GROUP BY i.unit_id
    ), closed AS (
      SELECT a.subject_id AS unit_id,
        sum(extract(epoch FROM least(upper(a.during), ${to}::timestamptz) - greatest(lower(a.during), ${from}::timestamptz)))::float8 AS seconds
      FROM allocations a
      WHERE a.org_id = ${orgId} AND a.subject_type = 'unit' AND a.source_type = 'blackout' AND a.active
        AND a.during && tstzrange(${from}::timestamptz, ${to}::timestamptz, '[)')
      GROUP BY a.subject_id
    )
    SELECT units.resource_id::text, units.resource_name, units.unit_id::text, units.unit_barcode, 1 AS units,
      COALESCE(booked.bookings, 0) AS bookings, COALESCE(booked.seconds, 0)::float8 AS booked_seconds,
      COALESCE(closed.seconds, 0)::float8 AS blackout_seconds
    FROM units LEFT JOIN booked ON booked.unit_id = units.unit_id
      LEFT JOIN closed ON closed.unit_id = units.unit_id`

/**
 * The same, summed per resource.
 *
 * @since 0.1.0
 * @category statements
 */
export const utilisation = (
  sql: SqlClient.SqlClient,
  orgId: string,
  bounds: Bounds,
  by: "unit" | "resource"
) =>
  by === "unit"
    ? sql`SELECT * FROM (${unitUtilisation(sql, orgId, bounds)}) AS per_unit
        ORDER BY lower(resource_name), resource_id, unit_barcode, unit_id`
    : sql`SELECT resource_id, resource_name, NULL::text AS unit_id, NULL::text AS unit_barcode,
        count(*)::int AS units, sum(bookings)::int AS bookings, sum(booked_seconds)::float8 AS booked_seconds,
        sum(blackout_seconds)::float8 AS blackout_seconds
      FROM (${unitUtilisation(sql, orgId, bounds)}) AS per_unit
      GROUP BY resource_id, resource_name ORDER BY lower(resource_name), resource_id`

/**
 * Each client's bookings overdue at `now` (marked OVERDUE, or checked out past their end before
 * the scan got to them) and fines created in the window, one row per client and currency.
 *
 * @since 0.1.0
 * @category statements
 */
export const finesByClient = (sql: SqlClient.SqlClient, orgId: string, { from, to }: Bounds, now: Date) =>
  sql`WITH overdue AS (
      SELECT requester_id AS account_id, count(*)::int AS bookings,
        sum(extract(epoch FROM ${now}::timestamptz - end_at))::float8 AS seconds
      FROM bookings
      WHERE org_id = ${orgId} AND status IN ('OVERDUE', 'CHECKED_OUT') AND end_at < ${now}
      GROUP BY requester_id
    ), fined AS (
      SELECT account_id, currency::text AS currency, count(*)::int AS fines, sum(amount)::bigint AS amount,
        sum(paid)::bigint AS paid, sum(CASE WHEN status = 'OPEN' THEN amount - paid ELSE 0 END)::bigint AS outstanding
      FROM fines WHERE org_id = ${orgId} AND created_at >= ${from} AND created_at < ${to}
      GROUP BY account_id, currency
    ), clients AS (SELECT account_id FROM overdue UNION SELECT account_id FROM fined)
    SELECT clients.account_id::text, accounts.username, accounts.full_name,
      COALESCE(overdue.bookings, 0) AS overdue_bookings, COALESCE(overdue.seconds, 0)::float8 AS overdue_seconds,
      fined.currency, COALESCE(fined.fines, 0) AS fines, COALESCE(fined.amount, 0) AS amount,
      COALESCE(fined.paid, 0) AS paid, COALESCE(fined.outstanding, 0) AS outstanding
    FROM clients JOIN accounts ON accounts.id = clients.account_id
      LEFT JOIN overdue ON overdue.account_id = clients.account_id
      LEFT JOIN fined ON fined.account_id = clients.account_id
    ORDER BY lower(accounts.username), clients.account_id, fined.currency NULLS FIRST`

/**
 * Fines created in the window, by status and currency.
 *
 * @since 0.1.0
 * @category statements
 */
export const finesByStatus = (sql: SqlClient.SqlClient, orgId: string, { from, to }: Bounds) =>
  sql`SELECT status, currency::text AS currency, count(*)::int AS fines, sum(amount)::bigint AS amount,
      sum(paid)::bigint AS paid, sum(CASE WHEN status = 'OPEN' THEN amount - paid ELSE 0 END)::bigint AS outstanding
    FROM fines WHERE org_id = ${orgId} AND created_at >= ${from} AND created_at < ${to}
    GROUP BY status, currency ORDER BY status, currency`

// An intervention's assignees as an array: an ARRAY() subquery is not pulled up into a join, so
// each intervention of the window looks its assignees up by key instead of the planner hashing
// every assignee row of the org.
const assigneesOf = (sql: SqlClient.SqlClient) =>
  sql`ARRAY(SELECT a.account_id FROM intervention_assignees a WHERE a.org_id = i.org_id AND a.intervention_id = i.id)`

/**
 * Per technician: live interventions opened in the window and assigned to them, those of them
 * still open, and those completed in the window (credited as the leaderboard does: each
 * assignee, or whoever completed one nobody was assigned to).
 *
 * @since 0.1.0
 * @category statements
 */
export const workload = (sql: SqlClient.SqlClient, orgId: string, { from, to }: Bounds) =>
  sql`WITH opened AS (
      SELECT assignee.account_id, count(*)::int AS assigned,
        (count(*) FILTER (WHERE i.status IN ${sql.in(openStatuses)}))::int AS open
      FROM interventions i, LATERAL unnest(${assigneesOf(sql)}) AS assignee (account_id)
      WHERE i.org_id = ${orgId} AND i.deleted_at IS NULL AND i.created_at >= ${from} AND i.created_at < ${to}
      GROUP BY assignee.account_id
    ), done AS (
      SELECT credited.account_id, count(*)::int AS completed
      FROM interventions i,
        LATERAL unnest(COALESCE(NULLIF(${assigneesOf(sql)}, '{}'::uuid[]), ARRAY[i.completed_by])) AS credited (account_id)
      WHERE i.org_id = ${orgId} AND i.status = 'COMPLETED' AND i.deleted_at IS NULL
        AND i.completed_at >= ${from} AND i.completed_at < ${to}
      GROUP BY credited.account_id
    ), people AS (
      SELECT account_id FROM opened UNION SELECT account_id FROM done WHERE account_id IS NOT NULL
    )
    SELECT people.account_id::text, accounts.username, accounts.full_name,
      COALESCE(opened.assigned, 0) AS assigned, COALESCE(opened.open, 0) AS open,
      COALESCE(done.completed, 0) AS completed
    FROM people JOIN accounts ON accounts.id = people.account_id
      LEFT JOIN opened ON opened.account_id = people.account_id
      LEFT JOIN done ON done.account_id = people.account_id
    ORDER BY lower(accounts.username), people.account_id`

/**
 * Lead times of the live interventions requested (created) in the window, by priority and kind:
 * seconds from request to the first `started` event, and to completion, with their mean, median
 * and 90th percentile (`percentile_cont`, which ignores the ones not yet started or completed).
 * The measures are materialised: inlined, each aggregate would look the start up again.
 *
 * @since 0.1.0
 * @category statements
 */
export const leadTimes = (sql: SqlClient.SqlClient, orgId: string, { from, to }: Bounds) =>
  sql`WITH measured AS MATERIALIZED (
      SELECT i.priority, i.kind,
        extract(epoch FROM (SELECT min(e.at) FROM intervention_events e
          WHERE e.org_id = i.org_id AND e.intervention_id = i.id AND e.type = 'started') - i.created_at)::float8 AS to_start,
        extract(epoch FROM CASE WHEN i.status = 'COMPLETED' THEN i.completed_at END - i.created_at)::float8 AS to_complete
      FROM interventions i
      WHERE i.org_id = ${orgId} AND i.deleted_at IS NULL AND i.created_at >= ${from} AND i.created_at < ${to}
    )
    SELECT priority, kind, count(*)::int AS requested,
      count(to_start)::int AS started, avg(to_start)::float8 AS start_mean,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY to_start))::float8 AS start_p50,
      (percentile_cont(0.9) WITHIN GROUP (ORDER BY to_start))::float8 AS start_p90,
      count(to_complete)::int AS completed, avg(to_complete)::float8 AS completion_mean,
      (percentile_cont(0.5) WITHIN GROUP (ORDER BY to_complete))::float8 AS completion_p50,
      (percentile_cont(0.9) WITHIN GROUP (ORDER BY to_complete))::float8 AS completion_p90
    FROM measured GROUP BY priority, kind
    ORDER BY CASE priority WHEN 'URGENT' THEN 1 WHEN 'HIGH' THEN 2 WHEN 'NORMAL' THEN 3 ELSE 4 END, kind`
