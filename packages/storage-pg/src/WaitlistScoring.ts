/**
 * The SQL pieces both waitlist rankings are built from: the points of a requester's role,
 * bookings, fines and waiting time, and a ranked page over scored entries.
 *
 * @since 0.1.0
 */
import { Priority } from "@rota/core"
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
 * counts per requester.
 *
 * @since 0.1.0
 * @category sql
 */
export const livePoints = (
  sql: Sql,
  orgId: string,
  requesters: Statement.Fragment,
  weights: Priority.Weights,
  now: Date
) => {
  const since = new Date(now.getTime() - lateWindowMillis)
  return sql`
    SELECT requesters.requester_id,
      ${rolePoints(sql, weights, sql`memberships.role`)} AS role_points,
      (-${weights.lateReturn} * (
        (SELECT count(*) FROM bookings WHERE org_id = ${orgId} AND requester_id = requesters.requester_id
          AND late_minutes > 0 AND returned_at >= ${since})
        + (SELECT count(*) FROM bookings WHERE org_id = ${orgId} AND requester_id = requesters.requester_id
          AND status = 'OVERDUE')))::int AS late_points,
      (-${weights.openFine} * (SELECT count(*) FROM fines WHERE org_id = ${orgId}
        AND account_id = requesters.requester_id AND status = 'OPEN'))::int AS fine_points,
      (-${weights.activeBooking} * (SELECT count(*) FROM bookings WHERE org_id = ${orgId}
        AND requester_id = requesters.requester_id AND status IN ${sql.in(activeStatuses)}
        AND end_at > ${now}))::int AS active_points
    FROM ${requesters} AS requesters
    LEFT JOIN memberships ON memberships.org_id = ${orgId}
      AND memberships.account_id = requesters.requester_id AND memberships.deleted_at IS NULL`
}

/**
 * Waiting points at `now` of the row's `created_at`: whole seconds, then whole hours, capped
 * (integer arithmetic, as the core's rule).
 *
 * @since 0.1.0
 * @category sql
 */
export const waitingPoints = (sql: Sql, now: Date, maxWaitingHours: number, createdAt = sql`created_at`) =>
  sql`LEAST(GREATEST(floor(extract(epoch FROM (${now}::timestamptz - ${createdAt})))::bigint / 3600, 0),
    ${maxWaitingHours})`

/**
 * CTEs `ranked` and `page`: scores `scoring` (a CTE with at least `id, requester_id,
 * resource_id, created_at` and the four point columns), ranks within each resource and keeps
 * the rows of `shown` after ranking, at most `limit`, with every column of `scoring`.
 *
 * @since 0.1.0
 * @category sql
 */
export const rankedPage = (
  sql: Sql,
  weights: Priority.Weights,
  now: Date,
  shown: ReadonlyArray<Statement.Fragment>,
  limit: number
) => sql`
  ranked AS (
    SELECT scored.*, role_points + waiting_points + late_points + fine_points + active_points AS score,
      row_number() OVER (
        PARTITION BY resource_id
        ORDER BY role_points + waiting_points + late_points + fine_points + active_points DESC,
          created_at ASC, id ASC
      ) AS rank
    FROM (
      SELECT scoring.*, ${waitingPoints(sql, now, weights.maxWaitingHours)}::int AS waiting_points
      FROM scoring
    ) AS scored
  ),
  page AS (
    SELECT * FROM ranked WHERE ${sql.and(shown)} ORDER BY resource_id, rank ${limitOf(sql, limit)}
  )`

/**
 * Any ranking query, scored live: the population is ranked, then filtered to what is shown.
 *
 * @since 0.1.0
 * @category queries
 */
