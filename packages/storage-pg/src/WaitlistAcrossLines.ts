/**
 * The waitlist of every resource at once, read line by line through the stored standings.
 *
 * @since 0.1.0
 */
import type { Resource, WaitlistRepo } from "@rota/core"
import { Effect } from "effect"
import type { Row } from "./PgRecords.ts"
import { stored } from "./PgWaitlistRanking.ts"
import type { Sql } from "./WaitlistScoring.ts"

/**
 * Whether {@link storedAcross} answers `query`: the WAITING lines of every resource, nothing else
 * filtered (the waitlist a client reads first: `GET /v1/waitlist` with no filter).
 *
 * @since 0.1.0
 * @category queries
 */
export const storedAcrossAnswers = (query: WaitlistRepo.RankQuery) =>
  query.filters.resourceId === undefined &&
  query.filters.statuses !== undefined &&
  query.filters.statuses.length === 1 &&
  query.filters.statuses[0] === "WAITING" &&
  query.filters.requesterId === undefined

/**
 * A page of every resource's WAITING line, in the order `PgWaitlistRanking.live` gives (by resource, then
 * rank; ranks are within a resource): each line's part read through its stored standings
 * (`PgWaitlistRanking.stored`), line after line until the page is full. Scoring every waiting entry of the
 * org live for one page took the whole org's waitlist each time (10,000 entries: about 30
 * requests a second); this reads the page's lines and one index lookup per line.
 *
 * @since 0.1.0
 * @category queries
 */
export const storedAcross = (sql: Sql, orgId: string, query: WaitlistRepo.RankQuery) =>
  Effect.gen(function* () {
    const rows: Array<Row> = []
    let after = query.after
    let from = after?.resourceId
    let inclusive = after !== undefined
    while (rows.length < query.limit) {
      const bound =
        from === undefined ? sql`TRUE` : inclusive ? sql`resource_id >= ${from}` : sql`resource_id > ${from}`
      const [next] = yield* sql<{ resource_id: string }>`SELECT resource_id FROM waitlist_entries
        WHERE org_id = ${orgId} AND status = 'WAITING' AND ${bound}
        ORDER BY resource_id LIMIT 1`
      if (next === undefined) break
      const resourceId = next.resource_id
      const line = yield* stored(sql, orgId, {
        ...query,
        filters: { ...query.filters, resourceId: resourceId as Resource.ResourceId },
        limit: query.limit - rows.length,
        after: after?.resourceId === resourceId ? after : undefined
      })
      rows.push(...line)
      after = undefined
      from = resourceId
      inclusive = false
    }
    return rows
  })
