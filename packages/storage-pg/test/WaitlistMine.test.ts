/**
 * A requester's entries (`/v1/waitlist/mine`) on a long line: ranks counted through the stored
 * order equal the line's listing, and the count reads index ranges down to the entry, not the
 * line or its closed entries.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Ids, Organization, type WaitlistEntry, WaitlistRepo } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { Storage } from "../src/index.ts"
import * as PgWaitlistRanking from "../src/PgWaitlistRanking.ts"
import { TestDatabase } from "../src/testing.ts"
import { capturing, planProblems } from "./fixtures/Plans.ts"
import { waitlistRows } from "./fixtures/WaitlistRows.ts"

const minute = 60_000
const hour = 60 * minute
const weights = Organization.defaultSettings.priorityWeights

// 4,000 WAITING entries of 400 requesters (no role) over the last 300 hours, so some are past the
// cap, and 1,000 closed ones of the same people, older and so better scored than any of them.
const longLine = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const repo = yield* WaitlistRepo.WaitlistRepo
  const now = Date.now()
  const rows = yield* waitlistRows(now)
  const { orgId, resourceId } = rows
  yield* sql`INSERT INTO waitlist_entries (org_id, id, requester_id, resource_id, start_at,
      end_at, purpose, status, created_at)
    SELECT ${orgId}, gen_random_uuid(), requesters.id, ${resourceId}, ${new Date(now + 48 * hour)},
      ${new Date(now + 49 * hour)}, 'line', CASE WHEN n > 4000 THEN 'CANCELLED' ELSE 'WAITING' END,
      ${new Date(now)} - n * interval '270 seconds'
    FROM generate_series(1, 5000) AS n
    JOIN (SELECT row_number() OVER () AS k, gen_random_uuid() AS id FROM generate_series(1, 400))
      AS requesters ON requesters.k = 1 + n % 400`
  const refresh = () => sql.withTransaction(repo.refreshRanking(orgId, weights, DateTime.makeUnsafe(now)))
  const query = (filters: WaitlistEntry.WaitlistFilters, limit = 20) => ({
    filters,
    weights,
    now: DateTime.makeUnsafe(now),
    limit
  })
  // Each entry's rank in its status's line, scored live, as the listing of that line gives it.
  const lineRanks = Effect.gen(function* () {
    const ranks = new Map<string, number>()
    for (const status of ["WAITING", "CANCELLED"] as const) {
      const line = yield* PgWaitlistRanking.live(
        sql,
        orgId,
        query({ resourceId, statuses: [status] }, 10_000)
      )
      for (const row of line) ranks.set(String(row.id), Number(row.rank))
    }
    return ranks
  })
  return { ...rows, sql, repo, now, refresh, query, lineRanks }
})

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Storage.layer.pipe(Layer.provideMerge(Ids.Ids.layer), Layer.provideMerge(store.layer)), {
      timeout: 120_000,
      excludeTestServices: true
    })("a requester's entries on a long line", (it) => {
      it.effect("each rank is the one the line's listing gives, before and after a refresh", () =>
        Effect.gen(function* () {
          const { repo, orgId, person, entry, booking, now, refresh, query, lineRanks } = yield* longLine
          // A member near the middle of the line, a technician near its top, a manager at its
          // head; each with a cancelled entry too, and the technician's standing changed after
          // the refresh (scored live until the next).
          const people = [yield* person("member"), yield* person("technician"), yield* person("manager")]
          for (const [index, someone] of people.entries()) {
            yield* entry(someone, (60 - index * 20) * hour)
            yield* entry(someone, 3 * hour + index * minute)
            yield* entry(someone, 400 * hour, "CANCELLED")
          }
          const check = (when: string) =>
            Effect.gen(function* () {
              const ranks = yield* lineRanks
              for (const someone of people) {
                const theirs = yield* repo.ranked(orgId, query({ requesterId: Ids.AccountId.make(someone) }))
                assert.deepStrictEqual(
                  theirs.map((row) => row.entry.status),
                  ["WAITING", "WAITING", "CANCELLED"]
                )
                for (const row of theirs)
                  assert.strictEqual(row.rank, ranks.get(row.entry.id), `${row.entry.status}, ${when}`)
              }
              return ranks
            })
          const live = yield* check("scored live")
          // The member's older entry (160) sits behind the entries waiting 160 hours or more.
          assert.isAbove(
            live.get(
              (yield* repo.ranked(orgId, query({ requesterId: Ids.AccountId.make(people[0]!) })))[0]!.entry.id
            )!,
            1500
          )
          yield* refresh()
          yield* check("through the stored order")
          yield* booking(people[1]!, "APPROVED", now + 5 * hour)
          yield* check("with a change after the refresh")
        })
      )

      it.effect("the ranks are counted from index ranges down to each entry, not from the line", () =>
        Effect.gen(function* () {
          const { sql, repo, orgId, person, entry, refresh, query } = yield* longLine
          // A manager's entries (200 and more) head the line: nothing needs reading below them.
          // A technician's (150 + 10) has the entries waiting 160 hours or more ahead of it, about
          // 1,900 of the 4,000: counting them is the cost, not reading the line. A closed entry's
          // group has no stored order: its 1,000 entries are read and scored live.
          const manager = yield* person("manager")
          yield* entry(manager, 30 * hour)
          yield* entry(manager, hour)
          const technician = yield* person("technician")
          yield* entry(technician, 10 * hour)
          const member = yield* person("member")
          yield* entry(member, 500 * hour, "CANCELLED")
          yield* refresh()
          yield* sql`VACUUM ANALYZE waitlist_entries`
          for (const [someone, bound] of [
            [manager, 50],
            [technician, 2_500],
            [member, 1_100]
          ] as const) {
            const statement = yield* capturing(
              repo.ranked(orgId, query({ requesterId: Ids.AccountId.make(someone) }))
            )
            assert.deepStrictEqual(yield* planProblems(sql, statement!, "waitlist_entries", bound), [])
          }
        })
      )
    })
  })
}
