/**
 * The waitlist ranking in SQL, two ways that give the same answer:
 *
 * - `live`: every entry of the population scored from the requesters' bookings, fines and
 *   memberships as they are now (CTEs and a window function). Any filter, any status.
 * - `stored`: a resource's line of WAITING entries read in score order from an index over
 *   stored standings (see migration 0013), touching the page, the ties at its edge and the
 *   entries whose stored standing is in doubt, which are scored live.
 *
 * `refresh` brings an org's stored standings up to date; `due` names the orgs that need it.
 *
 * @since 0.1.0
 */
import { Ids, Priority, type WaitlistRepo } from "@rota/core"
import { Effect } from "effect"
import type { SqlClient, Statement } from "effect/sql"
import type { Row } from "./PgRecords.ts"

type Sql = SqlClient.SqlClient

// Inlined as SQL literals: a parameter of this size would need a declared type.
const hourMicros = "3600000000"
const lateWindowMillis = Priority.lateReturnWindowDays * 86_400_000

const activeStatuses = ["PENDING", "APPROVED", "CHECKED_OUT", "OVERDUE"] as const

/** The columns of an entry as the repository reads it back (stored score parts aside). */
const entryColumns = [
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

/** Role points for `role` (a column), 0 for a requester who is no longer a member. */
const rolePoints = (sql: Sql, weights: Priority.Weights, role: Statement.Fragment) => sql`CASE ${role}
    WHEN 'owner' THEN ${weights.owner} WHEN 'admin' THEN ${weights.admin}
    WHEN 'manager' THEN ${weights.manager} WHEN 'technician' THEN ${weights.technician}
    WHEN 'member' THEN ${weights.member} ELSE 0
  END`

/**
 * Each requester of `requesters` (a subquery with a `requester_id` column) with the signed
 * points of role, late returns, open fines and active bookings at `now`: a few index-only
 * counts per requester.
 */
const livePoints = (
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
 */
const waitingPoints = (sql: Sql, now: Date, maxWaitingHours: number, createdAt = sql`created_at`) =>
  sql`LEAST(GREATEST(floor(extract(epoch FROM (${now}::timestamptz - ${createdAt})))::bigint / 3600, 0),
    ${maxWaitingHours})`

/**
 * CTEs `ranked` and `page`: scores `scoring` (a CTE with at least `id, requester_id,
 * resource_id, created_at` and the four point columns), ranks within each resource and keeps
 * the rows of `shown` after ranking, at most `limit`, with every column of `scoring`.
 */
const rankedPage = (
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
    SELECT * FROM ranked WHERE ${sql.and(shown)} ORDER BY resource_id, rank LIMIT ${sql.literal(String(limit))}
  )`

/**
 * Any ranking query, scored live: the population is ranked, then filtered to what is shown.
 *
 * @since 0.1.0
 * @category queries
 */
export const live = (sql: Sql, orgId: string, query: WaitlistRepo.RankQuery) => {
  const { filters, weights, now } = query
  const population: Array<Statement.Fragment> = [sql`org_id = ${orgId}`]
  if (filters.resourceId !== undefined) population.push(sql`resource_id = ${filters.resourceId}`)
  const statuses =
    filters.statuses !== undefined && filters.statuses.length > 0
      ? sql`status IN ${sql.in(filters.statuses)}`
      : sql`TRUE`
  population.push(statuses)
  // Ranks are within a resource: for one requester's entries, only the lines they are in are
  // scored, not every line of the org.
  if (filters.requesterId !== undefined && filters.resourceId === undefined)
    population.push(sql`resource_id IN (SELECT resource_id FROM waitlist_entries
      WHERE org_id = ${orgId} AND requester_id = ${filters.requesterId} AND ${statuses})`)
  const shown: Array<Statement.Fragment> = [sql`TRUE`]
  if (filters.requesterId !== undefined) shown.push(sql`requester_id = ${filters.requesterId}`)
  if (query.after !== undefined)
    shown.push(sql`(resource_id, rank) > (${query.after.resourceId}::uuid, ${query.after.rank})`)
  // Scores come from narrow rows and each requester's points are counted once; only the page
  // shown is joined back to the full entries.
  return sql<Row>`
    WITH entries AS (
      SELECT id, requester_id, resource_id, created_at FROM waitlist_entries WHERE ${sql.and(population)}
    ),
    points AS MATERIALIZED (
      ${livePoints(sql, orgId, sql`(SELECT DISTINCT requester_id FROM entries)`, weights, now)}
    ),
    scoring AS (
      SELECT entries.*, points.role_points, points.late_points, points.fine_points, points.active_points
      FROM entries JOIN points ON points.requester_id = entries.requester_id
    ),
    ${rankedPage(sql, weights, now, shown, query.limit)}
    SELECT waitlist_entries.*, page.rank, page.score, page.role_points, page.waiting_points,
      page.late_points, page.fine_points, page.active_points
    FROM page JOIN waitlist_entries ON waitlist_entries.org_id = ${orgId} AND waitlist_entries.id = page.id
    ORDER BY page.resource_id, page.rank`
}

/**
 * One entry's score parts at `now`, counted as {@link live} counts them.
 *
 * @since 0.1.0
 * @category queries
 */
export const scoreOf = (sql: Sql, orgId: string, id: string, weights: Priority.Weights, now: Date) =>
  sql<Row>`
    WITH entry AS (SELECT requester_id, created_at FROM waitlist_entries WHERE org_id = ${orgId} AND id = ${id}),
    points AS (${livePoints(sql, orgId, sql`(SELECT requester_id FROM entry)`, weights, now)})
    SELECT points.*,
      ${waitingPoints(sql, now, weights.maxWaitingHours, sql`entry.created_at`)}::int AS waiting_points
    FROM entry CROSS JOIN points`

/**
 * Whether {@link stored} answers `query`: one resource's line of WAITING entries, nothing
 * else filtered.
 *
 * @since 0.1.0
 * @category queries
 */
export const storedAnswers = (query: WaitlistRepo.RankQuery) =>
  query.filters.resourceId !== undefined &&
  query.filters.statuses !== undefined &&
  query.filters.statuses.length === 1 &&
  query.filters.statuses[0] === "WAITING" &&
  query.filters.requesterId === undefined &&
  (query.after === undefined || query.after.resourceId === query.filters.resourceId)

/**
 * A page of one resource's WAITING line, read through the stored standings.
 *
 * Among entries whose requester's stored standing holds at `now`, score order is index order:
 * by `rank_key` for entries still gaining waiting points (their score is
 * `floor((now + rank_key) / 1 h)`), by `base_points` for entries past the waiting cap. The query
 * takes the first `after + limit` of each, keeps every entry scoring at least the better of
 * the two last scores (so ties at the edge are all there), and ranks those. At least
 * `after + limit` entries score at least that bound, so every entry ahead of the page is among
 * them and the ranks are exact.
 *
 * Entries the stored values cannot place are the exceptions: requesters with a change not yet
 * refreshed or a standing whose interval has passed (the whole line when the weights differ),
 * and entries whose cap mark is out of date or which were created after `now`. The first query
 * leaves them out and says whether there were any, in the same snapshot; only then does a
 * second query add them, scored live. The first is small enough for PostgreSQL to keep one
 * generic plan for it; the second is planned on each call.
 *
 * @since 0.1.0
 * @category queries
 */
export const stored = (sql: Sql, orgId: string, query: WaitlistRepo.RankQuery) =>
  Effect.flatMap(storedPage(sql, orgId, query, false), (rows) =>
    rows[0]?.exceptions === false
      ? Effect.succeed(rows.filter((row) => row.id !== null))
      : storedPage(sql, orgId, query, true)
  )

/**
 * The statements behind {@link stored}: without exceptions, the one that runs when nothing is
 * in doubt (and reports whether anything is); with them, the one that scores those live.
 *
 * @since 0.1.0
 * @category queries
 */
export const storedPage = (
  sql: Sql,
  orgId: string,
  query: WaitlistRepo.RankQuery,
  withExceptions: boolean
) => {
  const { weights, now } = query
  const resourceId = query.filters.resourceId!
  const skip = query.after?.rank ?? 0
  const wanted = skip + query.limit
  const nowMicros = String(BigInt(now.getTime()) * 1000n)
  const line = sql`org_id = ${orgId} AND resource_id = ${resourceId} AND status = 'WAITING'`
  const trusted = sql`requester_id NOT IN (SELECT requester_id FROM doubted)`
  // A stream's key never ranks an entry below its live score, except an entry still marked as
  // gaining that was created after `now` (a clock reading earlier): that one is an exception.
  const future = sql`NOT waited_out AND created_at > ${now}`
  // The live score from stored values, for the bound: the mark of a stream may be out of date.
  const liveScore = sql`base_points + ${waitingPoints(sql, now, weights.maxWaitingHours)}`
  // Literal counts: with a parameter the planner would have to guess the page size.
  const wantedRows = sql.literal(String(wanted))
  const columns = sql.literal(entryColumns.join(", "))
  const storedParts = sql`role_points, late_points, fine_points, active_points`
  const doubtedEntries = sql`SELECT entries.* FROM doubted CROSS JOIN LATERAL (
      SELECT ${columns} FROM waitlist_entries
      WHERE org_id = ${orgId} AND requester_id = doubted.requester_id AND resource_id = ${resourceId}
        AND status = 'WAITING'
    ) AS entries`
  const exceptions = withExceptions
    ? sql`doubtful AS (${doubtedEntries}),
      live AS MATERIALIZED (
        ${livePoints(sql, orgId, sql`(SELECT DISTINCT requester_id FROM doubtful)`, weights, now)}
      ),`
    : sql``
  const ranking = sql`
    markers AS MATERIALIZED (
      SELECT requester_id FROM waitlist_standing_changes WHERE org_id = ${orgId}
    ),
    state AS MATERIALIZED (
      SELECT COALESCE(scoring.weights <> ${JSON.stringify(weights)}::jsonb, true)
          OR EXISTS (SELECT 1 FROM markers WHERE requester_id IS NULL) AS whole,
        -- Every standing was written by the last refresh or before it, and holds until the
        -- earliest end it recorded: within that, no standing needs to be looked at.
        COALESCE(scoring.as_of <= ${now} AND scoring.next_refresh_at > ${now}, false) AS fresh
      FROM (SELECT 1) AS org LEFT JOIN waitlist_scoring AS scoring ON scoring.org_id = ${orgId}
    ),
    doubted AS MATERIALIZED (
      SELECT requester_id FROM markers WHERE requester_id IS NOT NULL
      UNION
      SELECT requester_id FROM waitlist_standings WHERE org_id = ${orgId}
        AND NOT (as_of <= ${now} AND valid_until > ${now}) AND NOT (SELECT fresh FROM state)
      UNION
      -- Other weights, or a change of the whole org: every requester of the line.
      SELECT DISTINCT requester_id FROM waitlist_entries WHERE ${line} AND (SELECT whole FROM state)
    ),
    gaining_head AS (
      SELECT rank_key AS key, ${liveScore} AS score FROM waitlist_entries
      WHERE ${line} AND NOT waited_out AND ${trusted}
      ORDER BY rank_key DESC LIMIT ${wantedRows}
    ),
    waited_out_head AS (
      SELECT base_points AS key, ${liveScore} AS score FROM waitlist_entries
      WHERE ${line} AND waited_out AND ${trusted}
      ORDER BY base_points DESC, created_at, id LIMIT ${wantedRows}
    ),
    bound AS (
      SELECT GREATEST(
          (SELECT min(score) FROM gaining_head HAVING count(*) = ${wantedRows}),
          (SELECT min(score) FROM waited_out_head HAVING count(*) = ${wantedRows})
        ) AS score,
        (SELECT max(key) FROM gaining_head) AS gaining_top,
        (SELECT max(key) FROM waited_out_head) AS waited_out_top
    ),
    ${exceptions}
    -- Each stream from its head down to the bound. The upper end holds for every trusted row of
    -- the stream; it is there for the planner, which, with both ends unknown until the statement
    -- runs, reckons on a narrow range and reads the index rather than the whole line.
    scoring AS (
      SELECT ${columns}, ${storedParts} FROM waitlist_entries
      WHERE ${line} AND NOT waited_out AND ${trusted}
        AND rank_key >= COALESCE((SELECT (score * ${sql.literal(hourMicros)} - ${nowMicros}::bigint)::bigint
          FROM bound), '-9223372036854775808'::bigint)
        AND rank_key <= (SELECT gaining_top FROM bound)
      UNION ALL
      SELECT ${columns}, ${storedParts} FROM waitlist_entries
      WHERE ${line} AND waited_out AND ${trusted}
        AND base_points >= COALESCE((SELECT (score - ${weights.maxWaitingHours})::int FROM bound), '-2147483648'::int)
        AND base_points <= (SELECT waited_out_top FROM bound)
      ${
        withExceptions
          ? sql`-- Union: an entry created after now may be in its stream as well.
            UNION
            SELECT ${columns}, ${storedParts} FROM waitlist_entries WHERE ${line} AND ${trusted} AND ${future}
            UNION ALL
            SELECT doubtful.*, live.role_points, live.late_points, live.fine_points, live.active_points
            FROM doubtful JOIN live ON live.requester_id = doubtful.requester_id`
          : sql``
      }
    ),
    ${rankedPage(sql, weights, now, [sql`rank > ${sql.literal(String(skip))}`], query.limit)}`
  if (withExceptions) return sql<Row>`WITH ${ranking} SELECT page.* FROM page ORDER BY page.rank`
  // Whether any exception exists, in this snapshot: EXISTS probes, each stopping at the first
  // row. One row comes back even for an empty page, to carry the answer.
  return sql<Row>`
    WITH ${ranking},
    found AS (
      SELECT EXISTS (${doubtedEntries})
        -- The org's newest entry still marked as gaining, from the end of an index.
        OR (SELECT max(created_at) FROM waitlist_entries
          WHERE org_id = ${orgId} AND status = 'WAITING' AND NOT waited_out) > ${now} AS exceptions
    )
    SELECT found.exceptions, page.* FROM found LEFT JOIN page ON NOT found.exceptions
    ORDER BY page.rank`
}

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
