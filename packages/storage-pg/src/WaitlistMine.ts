/**
 * One requester's entries with their ranks (`GET /v1/waitlist/mine`), each rank counted through
 * the stored order of its line rather than by scoring the line.
 *
 * @since 0.1.0
 */
import { WaitlistEntry, type WaitlistRepo } from "@rota/core"
import { DateTime, Effect } from "effect"
import type { Statement } from "effect/sql"
import { limitOf } from "./Keyset.ts"
import type { Row } from "./PgRecords.ts"
import * as PgWaitlistRanking from "./PgWaitlistRanking.ts"
import {
  doubtedRequesters,
  hourMicros,
  livePoints,
  type Sql,
  statusPosition,
  unseen,
  waitingPoints
} from "./WaitlistScoring.ts"

// Every status but WAITING, as a list of SQL literals (the core's own constants).
const closed = (sql: Sql) =>
  sql.literal(
    `(${WaitlistEntry.statusOrder
      .filter((status) => status !== "WAITING")
      .map((status) => `'${status}'`)
      .join(", ")})`
  )

/**
 * Whether {@link mine} answers `query`: one requester's entries, whatever else is filtered.
 *
 * @since 0.1.0
 * @category queries
 */
export const mineAnswers = (query: WaitlistRepo.RankQuery) => query.filters.requesterId !== undefined

// `score`, then parts, of a scored row: the stored parts of a trusted entry, live ones otherwise.
const scoreOf = (sql: Sql, query: WaitlistRepo.RankQuery, parts: string) =>
  sql`${sql.literal(parts)} + ${waitingPoints(sql, DateTime.toDateUtc(query.now), query.weights.maxWaitingHours)}`

/**
 * The requester's entries, scored live (one requester: a few index counts), and, for the lines
 * they are in, what their ranks are counted against: the requesters whose stored standing is in
 * doubt, those requesters' WAITING entries scored live, and the entries of the other statuses
 * ranked with them, scored live.
 */
const pieces = (sql: Sql, orgId: string, query: WaitlistRepo.RankQuery) => {
  const { filters, weights } = query
  const now = DateTime.toDateUtc(query.now)
  const byStatus = WaitlistEntry.ranksByOwnStatus(filters)
  const bind = unseen(sql)
  const org = bind(orgId, "uuid")
  const requester = bind(filters.requesterId!, "uuid")
  const among = (statuses: ReadonlyArray<string>) =>
    sql`status IN (${sql.csv(statuses.map((status) => sql`${bind(status, "text")}`))})`
  const own: Array<Statement.Fragment> = [sql`org_id = ${org}`, sql`requester_id = ${requester}`]
  if (filters.resourceId !== undefined) own.push(sql`resource_id = ${bind(filters.resourceId, "uuid")}`)
  if (!byStatus) own.push(among(filters.statuses!))
  const line = sql`org_id = ${org} AND resource_id IN (SELECT resource_id FROM mine) AND status = 'WAITING'`
  const others = filters.statuses?.filter((status) => status !== "WAITING") ?? []
  // The requester's own rows again, not `mine`: the planner then has the column statistics to
  // reckon with (a CTE has none), and reads each group from the index on (org, resource, status).
  const ownRows = (...more: ReadonlyArray<Statement.Fragment>) =>
    sql`SELECT resource_id, status FROM waitlist_entries WHERE ${sql.and([...own, ...more])}`
  const otherGroups = byStatus
    ? sql`(resource_id, status) IN (${ownRows(sql`status IN ${closed(sql)}`)})`
    : others.length === 0
      ? sql`FALSE`
      : sql`${among(others)} AND resource_id IN (SELECT resource_id FROM (${ownRows()}) AS own)`
  const parts = "role_points + late_points + fine_points + active_points"
  return sql`
    mine AS MATERIALIZED (
      SELECT id, requester_id, resource_id, status, created_at FROM waitlist_entries WHERE ${sql.and(own)}
    ),
    own_points AS MATERIALIZED (
      ${livePoints(sql, orgId, sql`(SELECT ${requester} AS requester_id)`, weights, now, bind)}
    ),
    ${doubtedRequesters(sql, orgId, weights, now, sql`FALSE`, bind)},
    doubtful AS MATERIALIZED (
      SELECT entries.* FROM doubted CROSS JOIN LATERAL (
        SELECT id, requester_id, resource_id, created_at FROM waitlist_entries
        WHERE ${line} AND requester_id = doubted.requester_id
      ) AS entries
    ),
    -- The statuses other than WAITING as constants: the planner estimates them from the
    -- column's statistics (none in a line nobody has left).
    others AS MATERIALIZED (
      SELECT id, requester_id, resource_id, status, created_at FROM waitlist_entries
      WHERE org_id = ${org} AND status IN ${closed(sql)} AND ${otherGroups}
    ),
    live AS MATERIALIZED (
      ${livePoints(
        sql,
        orgId,
        // DISTINCT, not UNION: the planner reckons at most 200 requesters for it, not the sum of
        // both sides, and the joins below stay estimated at the size of their entries.
        sql`(SELECT DISTINCT requester_id FROM (
          SELECT requester_id FROM doubtful UNION ALL SELECT requester_id FROM others) AS both_)`,
        weights,
        now,
        bind
      )}
    ),
    doubtful_scored AS MATERIALIZED (
      SELECT doubtful.id, doubtful.resource_id, doubtful.created_at, ${scoreOf(sql, query, parts)} AS score
      FROM doubtful JOIN live USING (requester_id)
    ),
    others_scored AS MATERIALIZED (
      SELECT others.id, others.resource_id, others.status, others.created_at, ${scoreOf(sql, query, parts)} AS score
      FROM others JOIN live USING (requester_id)
    ),
    scored AS (
      SELECT mine.*, own_points.role_points, own_points.late_points, own_points.fine_points,
        own_points.active_points,
        ${waitingPoints(sql, now, weights.maxWaitingHours, sql`mine.created_at`)}::int AS waiting_points,
        ${scoreOf(sql, query, parts)} AS score,
        ${byStatus ? statusPosition(sql, sql`mine.status`) : sql`0`} AS status_position
      FROM mine CROSS JOIN own_points
    )`
}

/**
 * CTEs `floors`, `pool` and `ranks`: for each group of `candidates` (its resource, and its status
 * or the statuses asked for), every entry of the group that can be ahead of one of them, with its
 * score, and each one's rank among them. A rank is the entry's place in that pool, so each group
 * is read once, down to the lowest score among the candidates, however many of them it holds:
 * counting the entries ahead of each candidate on its own read the line down to each, a page of
 * entries at the back of a line of 10,000 about 200,000 rows.
 *
 * The WAITING entries of trusted requesters come through their stored order. Such an entry
 * scores at most what its stream's key says (its waiting points are capped, never more than its
 * age in hours) unless it was created after `now`: so the entries that can score at least `s`
 * are, in the stream of entries still gaining, those with `rank_key >= s h - now`, and in the
 * stream past the cap those with `base_points >= s - cap`, plus the few created after `now`.
 * Each is then scored exactly from its stored parts. The rest of the group, the entries of
 * doubted requesters and those of the other statuses, comes scored live from {@link pieces}.
 */
const ranking = (sql: Sql, orgId: string, query: WaitlistRepo.RankQuery) => {
  const { filters, weights } = query
  const now = DateTime.toDateUtc(query.now)
  const byStatus = WaitlistEntry.ranksByOwnStatus(filters)
  const nowMicros = String(BigInt(now.getTime()) * 1000n)
  const bind = unseen(sql)
  const groupOf = (status: Statement.Fragment) => (byStatus ? statusPosition(sql, status) : sql`0`)
  const waitingGroup = groupOf(sql`'WAITING'::text`)
  const ranksWaiting = byStatus || filters.statuses!.includes("WAITING")
  const storedScore = sql`line.base_points + ${waitingPoints(sql, now, weights.maxWaitingHours, sql`line.created_at`)}`
  const keyed = sql`line.rank_key >= floor.score::bigint * ${sql.literal(hourMicros)} - ${nowMicros}::bigint`
  const stream = (where: Statement.Fragment) => sql`
    SELECT line.id, line.created_at, ${storedScore} AS score FROM waitlist_entries AS line
    WHERE line.org_id = ${bind(orgId, "uuid")} AND line.resource_id = floor.resource_id
      AND line.status = 'WAITING' AND line.requester_id NOT IN (SELECT requester_id FROM doubted) AND ${where}`
  // The scored rows of `pieces` in the groups of the page, down to each group's floor.
  const scoredRows = (table: string, group: Statement.Fragment) => sql`
    SELECT scored.resource_id, floor.status_position, scored.id, scored.created_at, scored.score
    FROM ${sql.literal(table)} AS scored JOIN floors AS floor ON floor.resource_id = scored.resource_id
      AND floor.status_position = ${group}
    WHERE scored.score >= floor.score`
  const waiting = ranksWaiting
    ? sql`
      SELECT floor.resource_id, floor.status_position, line.id, line.created_at, line.score
      FROM floors AS floor CROSS JOIN LATERAL (
        ${stream(sql`NOT line.waited_out AND ${keyed}`)}
        UNION ALL
        ${stream(sql`line.waited_out AND line.base_points >= floor.score - ${weights.maxWaitingHours}`)}
        UNION ALL
        -- The entries created after now that the key's range leaves out (its exact complement, a
        -- null key included): from the index by age, as few as they are.
        ${stream(sql`NOT line.waited_out AND line.created_at > ${bind(now, "timestamptz")} AND (${keyed}) IS NOT TRUE`)}
      ) AS line
      WHERE floor.status_position = ${waitingGroup}
      UNION ALL
      ${scoredRows("doubtful_scored", waitingGroup)}
      UNION ALL`
    : sql``
  return sql`
    floors AS MATERIALIZED (
      SELECT resource_id, status_position, min(score) AS score FROM candidates GROUP BY resource_id, status_position
    ),
    pool AS (
      ${waiting}
      ${scoredRows("others_scored", groupOf(sql`scored.status`))}
    ),
    ranks AS (
      SELECT id, row_number() OVER (PARTITION BY resource_id, status_position
        ORDER BY score DESC, created_at, id) AS rank
      FROM pool
    )`
}

/**
 * The statement behind {@link mine}: a page of one requester's entries, ordered by resource,
 * status group and rank. The entries are put in that order by their own scores (within a group,
 * rank follows score), and ranks are counted for the rows read until the page is full: the
 * page, and the rows of the cursor's group before it. When the requester has entries matching
 * the filters, one row comes back even for an empty page, saying whether the stored standings
 * were written with other weights, or the whole org is in doubt (then no row of the page is,
 * and {@link mine} scores the lines live); with none, no row, and nothing past that first
 * index lookup is read.
 *
 * Planned once per connection: its text depends only on the filters' shape and the page size,
 * and each value a plan would weigh (the org, the requester, `now`, ...) comes in
 * {@link unseen}, so PostgreSQL keeps its generic plan rather than spending milliseconds
 * planning each call for its values.
 *
 * @since 0.1.0
 * @category queries
 */
export const minePage = (sql: Sql, orgId: string, query: WaitlistRepo.RankQuery) => {
  const after = query.after
  const byStatus = WaitlistEntry.ranksByOwnStatus(query.filters)
  const afterGroup =
    after === undefined
      ? undefined
      : sql`${after.resourceId}::uuid, ${byStatus ? statusPosition(sql, sql`${after.status ?? "WAITING"}::text`) : sql`0`}`
  // Within its group the cursor's entries before the page are at most as many as its rank (each
  // has a smaller one), so the page is among this many of the requester's entries from the
  // cursor's group on. Through a subquery, as the values of `unseen`.
  const candidates = String(query.limit + (after?.rank ?? 0))
  const order = sql`resource_id, status_position, score DESC, created_at, id`
  return sql<Row>`
    WITH ${pieces(sql, orgId, query)},
    candidates AS MATERIALIZED (
      SELECT * FROM scored
      WHERE ${afterGroup === undefined ? sql`TRUE` : sql`(resource_id, status_position) >= (${afterGroup})`}
      ORDER BY ${order} LIMIT (SELECT ${candidates}::bigint)
    ),
    ${ranking(sql, orgId, query)},
    page AS (
      SELECT me.*, ranks.rank FROM candidates AS me JOIN ranks ON ranks.id = me.id
      WHERE ${afterGroup === undefined ? sql`TRUE` : sql`(me.resource_id, me.status_position, ranks.rank) > (${afterGroup}, ${after!.rank})`}
        AND NOT (SELECT whole FROM state)
      ORDER BY resource_id, status_position, rank ${limitOf(sql, query.limit)}
    )
    SELECT state.whole AS whole_org, waitlist_entries.*, page.rank, page.score, page.role_points,
      page.waiting_points, page.late_points, page.fine_points, page.active_points
    FROM (SELECT whole FROM state WHERE EXISTS (SELECT FROM mine)) AS state LEFT JOIN (
      page JOIN waitlist_entries ON waitlist_entries.org_id = ${unseen(sql)(orgId, "uuid")} AND waitlist_entries.id = page.id
    ) ON NOT state.whole
    ORDER BY page.resource_id, page.status_position, page.rank`
}

/**
 * A page of one requester's entries with their ranks: {@link minePage}, or, when no stored
 * standing of the org can be trusted (other weights, never refreshed), the lines scored live.
 *
 * @since 0.1.0
 * @category queries
 */
export const mine = (sql: Sql, orgId: string, query: WaitlistRepo.RankQuery) =>
  Effect.flatMap(minePage(sql, orgId, query), (rows) =>
    rows.length === 0
      ? Effect.succeed(rows)
      : rows[0]!.whole_org === false
        ? Effect.succeed(rows.filter((row) => row.id !== null))
        : PgWaitlistRanking.live(sql, orgId, query)
  )
