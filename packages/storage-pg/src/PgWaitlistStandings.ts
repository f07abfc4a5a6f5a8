/**
 * The stored waitlist standings: `refresh` brings an org's up to date, `due` names the orgs that
 * need it.
 *
 * @since 0.1.0
 */
import { Ids, Priority } from "@rota/core"
import { Effect } from "effect"
import { activeStatuses, hourMicros, lateWindowMillis, livePoints, type Sql } from "./WaitlistScoring.ts"

/**
 * Brings an org's stored standings up to date at `now` with `weights`. Run it in a
 * transaction: it takes the org's refresh lock first, so two refreshes never interleave, and
 * consumes the change rows it sees before it counts (anything committed later leaves its own
 * change row behind).
 *
 * @since 0.1.0
 * @category refresh
 */
export const refresh = (sql: Sql, orgId: string, weights: Priority.Weights, now: Date) =>
  Effect.gen(function* () {
    yield* sql`SELECT pg_advisory_xact_lock(hashtext('rota.waitlist.' || ${orgId}))`
    const consumed = yield* sql<{ readonly requester_id: string | null }>`
      DELETE FROM waitlist_standing_changes WHERE org_id = ${orgId} RETURNING requester_id`
    const [scoring] = yield* sql<{ readonly same: boolean }>`
      SELECT weights = ${JSON.stringify(weights)}::jsonb AS same FROM waitlist_scoring WHERE org_id = ${orgId}`
    const whole = scoring === undefined || !scoring.same || consumed.some((row) => row.requester_id === null)
    const changed = [
      ...new Set(consumed.flatMap((row) => (row.requester_id === null ? [] : [row.requester_id])))
    ]
    const target = whole
      ? sql`TRUE`
      : sql.or([
          changed.length > 0 ? sql`requester_id IN ${sql.in(changed)}` : sql`FALSE`,
          sql`NOT EXISTS (SELECT 1 FROM waitlist_standings WHERE org_id = ${orgId}
            AND requester_id = line.requester_id AND as_of <= ${now} AND valid_until > ${now})`
        ])
    const since = new Date(now.getTime() - lateWindowMillis)
    yield* sql`
      WITH line AS (
        SELECT DISTINCT requester_id FROM waitlist_entries
        WHERE org_id = ${orgId} AND status IN ('WAITING', 'OFFERED')
      ),
      points AS (
        ${livePoints(sql, orgId, sql`(SELECT requester_id FROM line WHERE ${target})`, weights, now)}
      ),
      saved AS (
        INSERT INTO waitlist_standings (org_id, requester_id, role_points, late_points, fine_points,
          active_points, as_of, valid_until)
        SELECT ${orgId}, points.requester_id, role_points, late_points, fine_points, active_points, ${now},
          -- The points hold until an active booking ends or a late return leaves the window.
          LEAST(
            (SELECT min(end_at) FROM bookings WHERE org_id = ${orgId} AND requester_id = points.requester_id
              AND status IN ${sql.in(activeStatuses)} AND end_at > ${now}),
            (SELECT min(returned_at) + ${Priority.lateReturnWindowDays * 24} * interval '1 hour'
              FROM bookings WHERE org_id = ${orgId} AND requester_id = points.requester_id
              AND late_minutes > 0 AND returned_at >= ${since}),
            'infinity'::timestamptz)
        FROM points
        ON CONFLICT (org_id, requester_id) DO UPDATE SET role_points = EXCLUDED.role_points,
          late_points = EXCLUDED.late_points, fine_points = EXCLUDED.fine_points,
          active_points = EXCLUDED.active_points, as_of = EXCLUDED.as_of, valid_until = EXCLUDED.valid_until
        RETURNING requester_id, role_points, late_points, fine_points, active_points,
          role_points + late_points + fine_points + active_points AS base
      )
      UPDATE waitlist_entries SET base_points = saved.base, role_points = saved.role_points,
        late_points = saved.late_points, fine_points = saved.fine_points, active_points = saved.active_points,
        rank_key = saved.base::bigint * ${sql.literal(hourMicros)} - (extract(epoch FROM created_at) * 1000000)::bigint
      FROM saved
      WHERE waitlist_entries.org_id = ${orgId} AND waitlist_entries.requester_id = saved.requester_id
        AND waitlist_entries.status IN ('WAITING', 'OFFERED')`
    yield* sql`
      DELETE FROM waitlist_standings WHERE org_id = ${orgId} AND NOT EXISTS (
        SELECT 1 FROM waitlist_entries WHERE waitlist_entries.org_id = ${orgId}
          AND waitlist_entries.requester_id = waitlist_standings.requester_id
          AND waitlist_entries.status IN ('WAITING', 'OFFERED'))`
    const cappedBefore = new Date(now.getTime() - weights.maxWaitingHours * 3_600_000)
    yield* sql`
      UPDATE waitlist_entries SET waited_out = NOT waited_out
      WHERE org_id = ${orgId} AND status = 'WAITING'
        AND ((NOT waited_out AND created_at <= ${cappedBefore}) OR (waited_out AND created_at > ${cappedBefore}))`
    yield* sql`
      INSERT INTO waitlist_scoring (org_id, weights, as_of, next_refresh_at)
      VALUES (${orgId}, ${JSON.stringify(weights)}::jsonb, ${now}, LEAST(
        (SELECT min(valid_until) FROM waitlist_standings WHERE org_id = ${orgId}),
        (SELECT min(created_at) FROM waitlist_entries WHERE org_id = ${orgId} AND status = 'WAITING'
          AND NOT waited_out) + ${weights.maxWaitingHours} * interval '1 hour',
        'infinity'::timestamptz))
      ON CONFLICT (org_id) DO UPDATE SET weights = EXCLUDED.weights, as_of = EXCLUDED.as_of,
        next_refresh_at = EXCLUDED.next_refresh_at`
  })

/**
 * Orgs whose stored standings need a refresh at `now`: a change not yet consumed, or a
 * standing or cap mark that stops holding.
 *
 * @since 0.1.0
 * @category refresh
 */
export const due = (sql: Sql, now: Date, limit: number) =>
  Effect.map(
    sql<{ readonly org_id: string }>`
      SELECT org_id FROM (SELECT DISTINCT org_id FROM waitlist_standing_changes) AS changed
      UNION
      SELECT org_id FROM waitlist_scoring WHERE next_refresh_at <= ${now} OR as_of > ${now}
      LIMIT ${limit}`,
    (rows) => rows.map((row) => Ids.OrgId.make(row.org_id))
  )
