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
import { type Priority, WaitlistEntry, type WaitlistRepo } from "@rota/core"
import { DateTime, Effect } from "effect"
import type { Statement } from "effect/sql"
import type { Row } from "./PgRecords.ts"
import {
  doubtedRequesters,
  entryColumns,
  hourMicros,
  livePoints,
  rankedPage,
  type Sql,
  statusPosition,
  waitingPoints
} from "./WaitlistScoring.ts"

export {
  /** @since 0.1.0 */
  due,
  /** @since 0.1.0 */
  refresh
} from "./PgWaitlistStandings.ts"

/**
 * Any ranking query, scored live: the population is ranked, then filtered to what is shown.
 * With no status named, each entry is ranked among its resource's entries of its own status.
 *
 * @since 0.1.0
 * @category queries
 */
export const live = (sql: Sql, orgId: string, query: WaitlistRepo.RankQuery) => {
  const { filters, weights } = query
  const now = DateTime.toDateUtc(query.now)
  const byStatus = WaitlistEntry.ranksByOwnStatus(filters)
  const population: Array<Statement.Fragment> = [sql`org_id = ${orgId}`]
  if (filters.resourceId !== undefined) population.push(sql`resource_id = ${filters.resourceId}`)
  const statuses = byStatus ? sql`TRUE` : sql`status IN ${sql.in(filters.statuses!)}`
  population.push(statuses)
  // Ranks are within a resource (and status): for one requester's entries, only the lines they
  // are in are scored, not every line of the org.
  if (filters.requesterId !== undefined && filters.resourceId === undefined)
    population.push(sql`${byStatus ? sql`(resource_id, status)` : sql`resource_id`} IN (
      SELECT ${byStatus ? sql`resource_id, status` : sql`resource_id`} FROM waitlist_entries
      WHERE org_id = ${orgId} AND requester_id = ${filters.requesterId} AND ${statuses})`)
  const shown: Array<Statement.Fragment> = [sql`TRUE`]
  if (filters.requesterId !== undefined) shown.push(sql`requester_id = ${filters.requesterId}`)
  const after = query.after
  if (after !== undefined)
    shown.push(
      byStatus
        ? sql`(resource_id, ${statusPosition(sql, sql`status`)}, rank) > (${after.resourceId}::uuid,
            ${statusPosition(sql, sql`${after.status ?? "WAITING"}::text`)}, ${after.rank})`
        : sql`(resource_id, rank) > (${after.resourceId}::uuid, ${after.rank})`
    )
  // Scores come from narrow rows and each requester's points are counted once; only the page
  // shown is joined back to the full entries.
  return sql<Row>`
    WITH entries AS (
      SELECT id, requester_id, resource_id, status, created_at FROM waitlist_entries WHERE ${sql.and(population)}
    ),
    points AS MATERIALIZED (
      ${livePoints(sql, orgId, sql`(SELECT DISTINCT requester_id FROM entries)`, weights, now)}
    ),
    scoring AS (
      SELECT entries.*, points.role_points, points.late_points, points.fine_points, points.active_points
      FROM entries JOIN points ON points.requester_id = entries.requester_id
    ),
    ${rankedPage(sql, weights, now, shown, query.limit, byStatus)}
    SELECT waitlist_entries.*, page.rank, page.score, page.role_points, page.waiting_points,
      page.late_points, page.fine_points, page.active_points
    FROM page JOIN waitlist_entries ON waitlist_entries.org_id = ${orgId} AND waitlist_entries.id = page.id
    ORDER BY page.resource_id, ${byStatus ? sql`${statusPosition(sql, sql`page.status`)}, ` : sql``}page.rank`
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

// The fragments both statements of `storedPage` are built from.
const storedPieces = (sql: Sql, orgId: string, query: WaitlistRepo.RankQuery, withExceptions: boolean) => {
  const weights = query.weights
  const now = DateTime.toDateUtc(query.now)
  const resourceId = query.filters.resourceId!
  const line = sql`org_id = ${orgId} AND resource_id = ${resourceId} AND status = 'WAITING'`
  const trusted = sql`requester_id NOT IN (SELECT requester_id FROM doubted)`
  // A stream's key never ranks an entry below its live score, except an entry still marked as
  // gaining that was created after `now` (a clock reading earlier): that one is an exception.
  const future = sql`NOT waited_out AND created_at > ${now}`
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
  const exceptionRows = withExceptions
    ? sql`-- Union: an entry created after now may be in its stream as well.
            UNION
            SELECT ${columns}, ${storedParts} FROM waitlist_entries WHERE ${line} AND ${trusted} AND ${future}
            UNION ALL
            SELECT doubtful.*, live.role_points, live.late_points, live.fine_points, live.active_points
            FROM doubtful JOIN live ON live.requester_id = doubtful.requester_id`
    : sql``
  return { line, trusted, columns, storedParts, doubtedEntries, exceptions, exceptionRows }
}

type StoredPieces = ReturnType<typeof storedPieces>

// The CTEs that rank the page of `storedPage`, ending with `page`.
const storedRanking = (sql: Sql, orgId: string, query: WaitlistRepo.RankQuery, pieces: StoredPieces) => {
  const weights = query.weights
  const now = DateTime.toDateUtc(query.now)
  const skip = query.after?.rank ?? 0
  const nowMicros = String(BigInt(now.getTime()) * 1000n)
  // The live score from stored values, for the bound: the mark of a stream may be out of date.
  const liveScore = sql`base_points + ${waitingPoints(sql, now, weights.maxWaitingHours)}`
  // Literal counts: with a parameter the planner would have to guess the page size.
  const wantedRows = sql.literal(String(skip + query.limit))
  const { line, trusted, columns, storedParts, exceptions, exceptionRows } = pieces
  return sql`
    ${doubtedRequesters(sql, orgId, weights, now, line)},
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
      ${exceptionRows}
    ),
    ${rankedPage(sql, weights, now, [sql`rank > ${sql.literal(String(skip))}`], query.limit)}`
}

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
  const now = DateTime.toDateUtc(query.now)
  const pieces = storedPieces(sql, orgId, query, withExceptions)
  const { doubtedEntries } = pieces
  const ranking = storedRanking(sql, orgId, query, pieces)
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
