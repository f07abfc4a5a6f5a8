/**
 * The SQL pieces both waitlist rankings are built from: the points of a requester's role,
 * bookings, fines and waiting time, and a ranked page over scored entries.
 *
 * @since 0.1.0
 */
import { Priority, WaitlistEntry } from "@rota/core"
import type { SqlClient, Statement } from "effect/sql"
import { limitOf } from "./Keyset.ts"

/**
 * @since 0.1.0
 * @category models
 */
export type Sql = SqlClient.SqlClient

/**
 * Inlined as SQL literals: a parameter of this size would need a declared type.
 *
 * @since 0.1.0
 * @category sql
 */
export const hourMicros = "3600000000"

/**
 * @since 0.1.0
 * @category sql
 */
export const lateWindowMillis = Priority.lateReturnWindowDays * 86_400_000

/**
 * @since 0.1.0
 * @category sql
 */
export const activeStatuses = ["PENDING", "APPROVED", "CHECKED_OUT", "OVERDUE"] as const

/**
 * The columns of an entry as the repository reads it back (stored score parts aside).
 *
 * @since 0.1.0
 * @category sql
 */
export const entryColumns = [
  "org_id",
  "id",
  "requester_id",
  "resource_id",
  "start_at",
  "end_at",
  "purpose",
  "priority_score",
  "status",
  "offered_unit_id",
  "offer_start_at",
  "offer_end_at",
  "offer_expires_at",
  "booking_id",
  "version",
  "created_at"
] as const

/**
 * How a value reaches a statement: as a parameter, or {@link unseen}.
 *
 * @since 0.1.0
 * @category sql
 */
export type Bind = (value: unknown, type: "uuid" | "timestamptz" | "text") => unknown

/**
 * A value as a parameter: a custom plan reckons with it from the column's statistics.
 *
 * @since 0.1.0
 * @category sql
 */
export const asParameter: Bind = (value) => value

/**
 * A value through a subquery, which a plan reckons with like every value of its type. PostgreSQL
 * plans a prepared statement for its values (a custom plan) until a plan for any values (its
 * generic plan) looks no costlier than the custom ones have: where a value is a parameter the
 * estimates differ (an org's or a requester's share of the rows, a range up to `now`), and once
 * the first custom plans of a connection were cheaper (a small org, a requester with few
 * entries) every later execution was planned anew. Through subqueries both plans reckon alike,
 * cost the same, and the generic plan is kept.
 *
 * @since 0.1.0
 * @category sql
 */
export const unseen =
  (sql: Sql): Bind =>
  (value, type) =>
    sql`(SELECT ${value}::${sql.literal(type)})`

/**
 * Role points for `role` (a column), 0 for a requester who is no longer a member.
 *
 * @since 0.1.0
 * @category sql
 */
export const rolePoints = (sql: Sql, weights: Priority.Weights, role: Statement.Fragment) => sql`CASE ${role}
    WHEN 'owner' THEN ${weights.owner} WHEN 'admin' THEN ${weights.admin}
    WHEN 'manager' THEN ${weights.manager} WHEN 'technician' THEN ${weights.technician}
    WHEN 'member' THEN ${weights.member} ELSE 0
  END`

/**
 * Each requester of `requesters` (a subquery with a `requester_id` column) with the signed
 * points of role, late returns, open fines and active bookings at `now`: a few index-only
 * counts per requester. The weights are negated here, not in SQL: negating a parameter is an
 * operator on every row of a generic plan, and PostgreSQL weighs its plans by such costs.
 *
 * @since 0.1.0
 * @category sql
 */
export const livePoints = (
  sql: Sql,
  orgId: string,
  requesters: Statement.Fragment,
  weights: Priority.Weights,
  now: Date,
  bind: Bind = asParameter
) => {
  const since = bind(new Date(now.getTime() - lateWindowMillis), "timestamptz")
  const org = bind(orgId, "uuid")
  return sql`
    SELECT requesters.requester_id,
      ${rolePoints(sql, weights, sql`memberships.role`)} AS role_points,
      (${-weights.lateReturn} * (
        (SELECT count(*) FROM bookings WHERE org_id = ${org} AND requester_id = requesters.requester_id
          AND late_minutes > 0 AND returned_at >= ${since})
        + (SELECT count(*) FROM bookings WHERE org_id = ${org} AND requester_id = requesters.requester_id
          AND status = 'OVERDUE')))::int AS late_points,
      (${-weights.openFine} * (SELECT count(*) FROM fines WHERE org_id = ${org}
        AND account_id = requesters.requester_id AND status = 'OPEN'))::int AS fine_points,
      (${-weights.activeBooking} * (SELECT count(*) FROM bookings WHERE org_id = ${org}
        AND requester_id = requesters.requester_id AND status IN ${sql.literal(`(${activeStatuses.map((status) => `'${status}'`).join(", ")})`)}
        AND end_at > ${bind(now, "timestamptz")}))::int AS active_points
    FROM ${requesters} AS requesters
    LEFT JOIN memberships ON memberships.org_id = ${org}
      AND memberships.account_id = requesters.requester_id AND memberships.deleted_at IS NULL`
}

/**
 * Waiting points at `now` of the row's `created_at`: whole seconds, then whole hours, capped
 * (integer arithmetic, as the core's rule). The cap is bound as a bigint: an integer parameter
 * would be cast on every row of a generic plan (and folded in a custom one), which made
 * PostgreSQL reckon a generic plan costlier and plan each execution anew.
 *
 * @since 0.1.0
 * @category sql
 */
export const waitingPoints = (sql: Sql, now: Date, maxWaitingHours: number, createdAt = sql`created_at`) =>
  sql`LEAST(GREATEST(floor(extract(epoch FROM (${now}::timestamptz - ${createdAt})))::bigint / 3600, 0),
    ${BigInt(maxWaitingHours)})`

/**
 * A status's place in `WaitlistEntry.statusOrder`, the order of status groups within a resource.
 *
 * @since 0.1.0
 * @category sql
 */
export const statusPosition = (sql: Sql, status: Statement.Fragment) =>
  sql`array_position(${sql.literal(
    `ARRAY[${WaitlistEntry.statusOrder.map((name) => `'${name}'`).join(", ")}]::text[]`
  )}, ${status})`

/**
 * CTEs `ranked` and `page`: scores `scoring` (a CTE with at least `id, requester_id,
 * resource_id, status, created_at` and the four point columns), ranks within each resource (and
 * status, `byStatus`) and keeps the rows of `shown` after ranking, at most `limit`, with every
 * column of `scoring`, ordered by resource, status group and rank.
 *
 * @since 0.1.0
 * @category sql
 */
export const rankedPage = (
  sql: Sql,
  weights: Priority.Weights,
  now: Date,
  shown: ReadonlyArray<Statement.Fragment>,
  limit: number,
  byStatus = false
) => sql`
  ranked AS (
    SELECT scored.*, role_points + waiting_points + late_points + fine_points + active_points AS score,
      row_number() OVER (
        PARTITION BY resource_id${byStatus ? sql`, status` : sql``}
        ORDER BY role_points + waiting_points + late_points + fine_points + active_points DESC,
          created_at ASC, id ASC
      ) AS rank
    FROM (
      SELECT scoring.*, ${waitingPoints(sql, now, weights.maxWaitingHours)}::int AS waiting_points
      FROM scoring
    ) AS scored
  ),
  page AS (
    SELECT * FROM ranked WHERE ${sql.and(shown)}
    ORDER BY resource_id, ${byStatus ? sql`${statusPosition(sql, sql`status`)}, ` : sql``}rank ${limitOf(sql, limit)}
  )`

/**
 * CTEs `markers`, `state` and `doubted`: the requesters whose stored standing cannot be trusted
 * at `now` with `weights` (a change not yet refreshed, a standing whose interval does not hold;
 * with other weights or a change of the whole org, every requester of `line`, a condition on
 * `waitlist_entries`). Every other requester's entries carry parts equal to the live ones.
 *
 * @since 0.1.0
 * @category sql
 */
export const doubtedRequesters = (
  sql: Sql,
  orgId: string,
  weights: Priority.Weights,
  now: Date,
  line: Statement.Fragment,
  bind: Bind = asParameter
) => sql`
    markers AS MATERIALIZED (
      SELECT requester_id FROM waitlist_standing_changes WHERE org_id = ${bind(orgId, "uuid")}
    ),
    state AS MATERIALIZED (
      SELECT COALESCE(scoring.weights <> ${JSON.stringify(weights)}::jsonb, true)
          OR EXISTS (SELECT 1 FROM markers WHERE requester_id IS NULL) AS whole,
        -- Every standing was written by the last refresh or before it, and holds until the
        -- earliest end it recorded: within that, no standing needs to be looked at.
        COALESCE(scoring.as_of <= ${now} AND scoring.next_refresh_at > ${now}, false) AS fresh
      FROM (SELECT 1) AS org LEFT JOIN waitlist_scoring AS scoring ON scoring.org_id = ${bind(orgId, "uuid")}
    ),
    doubted AS MATERIALIZED (
      SELECT requester_id FROM markers WHERE requester_id IS NOT NULL
      UNION
      SELECT requester_id FROM waitlist_standings WHERE org_id = ${bind(orgId, "uuid")}
        AND NOT (as_of <= ${bind(now, "timestamptz")} AND valid_until > ${bind(now, "timestamptz")})
        AND NOT (SELECT fresh FROM state)
      UNION
      -- Other weights, or a change of the whole org: every requester of the line.
      SELECT DISTINCT requester_id FROM waitlist_entries WHERE ${line} AND (SELECT whole FROM state)
    )`
