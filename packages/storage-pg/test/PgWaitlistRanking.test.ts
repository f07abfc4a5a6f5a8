/**
 * Reading a line through stored standings, case by case: what the refresh stores, and every
 * way a stored value can stop holding before the next refresh.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Ids, Organization, Resource, type WaitlistEntry, WaitlistRepo } from "@rota/core"
import { DateTime, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { Storage } from "../src/index.ts"
import * as PgWaitlistRanking from "../src/PgWaitlistRanking.ts"
import { TestDatabase } from "../src/testing.ts"
import * as WaitlistAcrossLines from "../src/WaitlistAcrossLines.ts"
import { waitlistRows } from "./fixtures/WaitlistRows.ts"

/** The parts of an `EXPLAIN (FORMAT JSON)` plan node the plan test reads. */
interface PlanNode {
  readonly "Node Type": string
  readonly "Relation Name"?: string | undefined
  readonly "One-Time Filter"?: string | undefined
  readonly Plans?: ReadonlyArray<PlanNode> | undefined
}
const PlanNode: Schema.Codec<PlanNode> = Schema.Struct({
  "Node Type": Schema.String,
  "Relation Name": Schema.optional(Schema.String),
  "One-Time Filter": Schema.optional(Schema.String),
  Plans: Schema.optional(Schema.Array(Schema.suspend(() => PlanNode)))
})
const decodePlan = Schema.decodeUnknownSync(Schema.Array(Schema.Struct({ Plan: PlanNode })))

const minute = 60_000
const hour = 60 * minute
const weights = Organization.defaultSettings.priorityWeights

/** A line of one resource, with ways to refresh its stored standings and to read a page. */
const line = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const repo = yield* WaitlistRepo.WaitlistRepo
  const now = Date.now()
  const { orgId, resourceId, person, booking, entry } = yield* waitlistRows(now)
  const activeBooking = (requesterId: string, endAt: number) => booking(requesterId, "APPROVED", endAt)
  const refresh = (at: number, with_ = weights) =>
    sql.withTransaction(repo.refreshRanking(orgId, with_, DateTime.makeUnsafe(at)))
  const page = (at: number, limit: number, afterRank?: number) =>
    Effect.map(
      repo.ranked(orgId, {
        filters: { resourceId, statuses: ["WAITING"] },
        weights,
        now: DateTime.makeUnsafe(at),
        limit,
        after: afterRank === undefined ? undefined : { resourceId, rank: afterRank }
      }),
      (rows) => rows.map((row) => ({ id: row.entry.id, rank: row.rank, score: row.priorityScore }))
    )
  return { sql, repo, now, orgId, resourceId, person, activeBooking, entry, refresh, page }
})

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Storage.layer.pipe(Layer.provideMerge(Ids.Ids.layer), Layer.provideMerge(store.layer)), {
      timeout: 120_000,
      excludeTestServices: true
    })("a line read through stored standings", (it) => {
      it.effect("ties at the edge of a page are settled by age, across requesters", () =>
        Effect.gen(function* () {
          const { now, person, activeBooking, entry, refresh, page } = yield* line
          // Both score 100: a member waiting 50 minutes (100 + 0), and a member with an active
          // booking waiting 20 h 10 min (100 - 20 + 20), who is older and so goes first.
          const fresh = yield* person("member")
          const busy = yield* person("member")
          yield* activeBooking(busy, now + 48 * hour)
          const newer = yield* entry(fresh, 50 * minute)
          const older = yield* entry(busy, 20 * hour + 10 * minute)
          yield* refresh(now)
          // By stored key the newer entry comes first; by rank the older one does.
          assert.deepStrictEqual(yield* page(now, 1), [{ id: older, rank: 1, score: 100 }])
          assert.deepStrictEqual(yield* page(now, 1, 1), [{ id: newer, rank: 2, score: 100 }])
        })
      )

      it.effect("a long line is read from its indexes, with statistics as autovacuum keeps them", () =>
        Effect.gen(function* () {
          const { sql, now, orgId, resourceId, refresh } = yield* line
          // 4,000 entries of 400 requesters over the last 300 hours, so some are past the cap.
          yield* sql`INSERT INTO waitlist_entries (org_id, id, requester_id, resource_id, start_at,
              end_at, purpose, status, created_at)
            SELECT ${orgId}, gen_random_uuid(), requesters.id, ${resourceId}, ${new Date(now + 48 * hour)},
              ${new Date(now + 49 * hour)}, 'line', 'WAITING', ${new Date(now)} - n * interval '270 seconds'
            FROM generate_series(1, 4000) AS n
            JOIN (SELECT row_number() OVER () AS k, gen_random_uuid() AS id FROM generate_series(1, 400))
              AS requesters ON requesters.k = 1 + n % 400`
          yield* refresh(now)
          yield* sql`ANALYZE waitlist_entries`
          const statement = PgWaitlistRanking.storedPage(
            sql,
            orgId,
            {
              filters: { resourceId, statuses: ["WAITING"] },
              weights,
              now: DateTime.makeUnsafe(now),
              limit: 21
            },
            false
          )
          const [text, params] = statement.compile()
          const [explained] = yield* sql.unsafe<{ readonly "QUERY PLAN": unknown }>(
            `EXPLAIN (FORMAT JSON) ${text}`,
            params
          )
          const scans: Array<string> = []
          // Branches behind a one-time filter run only when the stored values are in doubt
          // (other weights: every requester of the line is scored live), not here.
          const visit = (node: PlanNode) => {
            if (node["One-Time Filter"] !== undefined) return
            if (node["Relation Name"] === "waitlist_entries") scans.push(node["Node Type"])
            for (const child of node.Plans ?? []) visit(child)
          }
          const plan = explained!["QUERY PLAN"]
          visit(decodePlan(typeof plan === "string" ? JSON.parse(plan) : plan)[0]!.Plan)
          // A page touches the line through its indexes; a scan of the whole line is what a
          // plan estimating a third of the line for a one-sided bound chose.
          assert.isAbove(scans.length, 0)
          assert.notInclude(scans, "Seq Scan")
          assert.notInclude(scans, "Bitmap Heap Scan")
        })
      )

      it.effect("a booking written after the refresh counts at once", () =>
        Effect.gen(function* () {
          const { now, person, activeBooking, entry, refresh, page } = yield* line
          const first = yield* entry(yield* person("member"), 3 * hour)
          const secondPerson = yield* person("member")
          const second = yield* entry(secondPerson, 2 * hour)
          yield* refresh(now - minute)
          assert.deepStrictEqual(
            (yield* page(now, 5)).map((row) => row.id),
            [first, second]
          )
          yield* activeBooking(secondPerson, now + 5 * hour)
          yield* activeBooking(secondPerson, now + 6 * hour)
          assert.deepStrictEqual(yield* page(now, 5), [
            { id: first, rank: 1, score: 103 },
            { id: second, rank: 2, score: 62 }
          ])
        })
      )

      it.effect("a stored standing stops holding when an active booking ends", () =>
        Effect.gen(function* () {
          const { now, person, activeBooking, entry, refresh, page } = yield* line
          const busy = yield* person("member")
          yield* activeBooking(busy, now + 30 * minute)
          const id = yield* entry(busy, 0)
          yield* refresh(now)
          assert.deepStrictEqual(yield* page(now + 29 * minute, 1), [{ id, rank: 1, score: 80 }])
          assert.deepStrictEqual(yield* page(now + 31 * minute, 1), [{ id, rank: 1, score: 100 }])
        })
      )

      it.effect("an entry reaching the waiting cap after the refresh keeps its capped score", () =>
        Effect.gen(function* () {
          const { now, person, entry, refresh, page } = yield* line
          const almost = yield* entry(yield* person("member"), 167 * hour + 30 * minute)
          const manager = yield* entry(yield* person("manager"), 0)
          yield* refresh(now)
          assert.deepStrictEqual(yield* page(now, 5), [
            { id: almost, rank: 1, score: 267 },
            { id: manager, rank: 2, score: 200 }
          ])
          // A day later: 168 capped points, not 191.
          assert.deepStrictEqual(yield* page(now + 24 * hour, 5), [
            { id: almost, rank: 1, score: 268 },
            { id: manager, rank: 2, score: 224 }
          ])
        })
      )

      it.effect("an entry past the cap but not yet marked does not push the page's bound up", () =>
        Effect.gen(function* () {
          const { now, person, entry, refresh, page } = yield* line
          const capped = yield* entry(yield* person("member"), 167 * hour + 30 * minute)
          const technician = yield* entry(yield* person("technician"), 106 * hour)
          yield* refresh(now)
          // A day later the member's entry, still marked as gaining, would read 100 + 191 by its
          // key; its live score is 100 + 168, below the technician's 150 + 130.
          const later = now + 24 * hour
          assert.deepStrictEqual(yield* page(later, 1), [{ id: technician, rank: 1, score: 280 }])
          assert.deepStrictEqual(yield* page(later, 1, 1), [{ id: capped, rank: 2, score: 268 }])
        })
      )

      it.effect("with other weights the whole line is scored live, and a refresh stores them", () =>
        Effect.gen(function* () {
          const { now, orgId, repo, person, entry, refresh, page } = yield* line
          const member = yield* entry(yield* person("member"), 0)
          const manager = yield* entry(yield* person("manager"), 0)
          yield* refresh(now, { ...weights, member: 500 })
          assert.deepStrictEqual(
            (yield* page(now, 5)).map((row) => row.id),
            [manager, member]
          )
          const due = yield* repo.rankingsDue(DateTime.makeUnsafe(now), 1000)
          assert.isFalse(due.includes(orgId), "nothing changed since the refresh")
          yield* refresh(now)
          assert.deepStrictEqual(
            (yield* page(now, 5)).map((row) => row.id),
            [manager, member]
          )
        })
      )

      it.effect("every line's waiting entries, page by page, are the live ranking of the org", () =>
        Effect.gen(function* () {
          const { sql, repo, now, orgId, person, activeBooking, entry, refresh } = yield* line
          // Four lines: the fixture's, two more with waiting entries, one with only an offer.
          const lines = [yield* Ids.nextId(Resource.ResourceId), yield* Ids.nextId(Resource.ResourceId)]
          const offersOnly = yield* Ids.nextId(Resource.ResourceId)
          for (const id of [...lines, offersOnly])
            yield* sql`INSERT INTO resources (org_id, id, type, name, status, created_at)
              VALUES (${orgId}, ${id}, 'kit', 'Kit', 'AVAILABLE', ${new Date(now)})`
          const waitOn = (resourceId: string, requesterId: string, ageMillis: number, status = "WAITING") =>
            sql`INSERT INTO waitlist_entries (org_id, id, requester_id, resource_id, start_at, end_at,
                purpose, status, created_at)
              VALUES (${orgId}, gen_random_uuid(), ${requesterId}, ${resourceId}, ${new Date(now + 24 * hour)},
                ${new Date(now + 25 * hour)}, 'p', ${status}, ${new Date(now - ageMillis)})`
          const people = [
            yield* person("member"),
            yield* person("manager"),
            yield* person("member"),
            yield* person("member")
          ]
          yield* activeBooking(people[2]!, now + 48 * hour)
          for (const [index, someone] of people.entries()) {
            yield* entry(someone, (index + 1) * hour)
            yield* waitOn(lines[0]!, someone, (5 - index) * 7 * hour)
            if (index % 2 === 0) yield* waitOn(lines[1]!, someone, index * 30 * minute)
          }
          yield* waitOn(offersOnly, people[0]!, hour, "OFFERED")
          yield* entry(people[1]!, 2 * hour, "CANCELLED")
          yield* refresh(now)
          const query = {
            filters: { statuses: ["WAITING" as const] },
            weights,
            now: DateTime.makeUnsafe(now)
          }
          const seen = (rows: ReadonlyArray<WaitlistEntry.RankedEntry>) =>
            rows.map((row) => [row.entry.resourceId, row.entry.id, row.rank, row.priorityScore])
          const everything = yield* Effect.map(
            PgWaitlistRanking.live(sql, orgId, { ...query, limit: 100 }),
            (rows) => rows.map((row) => [row.resource_id, row.id, Number(row.rank), Number(row.score)])
          )
          assert.strictEqual(everything.length, 4 + 4 + 2)
          // Pages of 3, each after the last entry of the one before, as the cursor carries it.
          const walked: Array<unknown> = []
          let after: WaitlistRepo.RankQuery["after"]
          for (let page = 0; page < 5; page++) {
            const rows = yield* repo.ranked(orgId, { ...query, limit: 3, after })
            walked.push(...seen(rows))
            const last = rows.at(-1)
            if (last === undefined) break
            after = { resourceId: last.entry.resourceId, rank: last.rank }
          }
          assert.deepStrictEqual(walked, everything)
          // Read through the stored standings, not scored live: the plan of a line's page is the
          // one `stored` sends, and a whole page in one call is the same too.
          assert.isTrue(WaitlistAcrossLines.storedAcrossAnswers({ ...query, limit: 3 }))
          assert.deepStrictEqual(seen(yield* repo.ranked(orgId, { ...query, limit: 100 })), everything)
        })
      )

      it.effect("orgs with unrefreshed changes are due, and a refresh consumes them", () =>
        Effect.gen(function* () {
          const { now, orgId, repo, person, entry, refresh } = yield* line
          yield* entry(yield* person("member"), 0)
          assert.isTrue((yield* repo.rankingsDue(DateTime.makeUnsafe(now), 1000)).includes(orgId))
          yield* refresh(now)
          assert.isFalse((yield* repo.rankingsDue(DateTime.makeUnsafe(now), 1000)).includes(orgId))
        })
      )
    })
  })
}
