/**
 * A requester's entries (`/v1/waitlist/mine`) on a long line: ranks counted through the stored
 * order equal the line's listing, and a page reads index ranges down to its last entry once,
 * not the line, its closed entries, or the line again for each entry.
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

// A manager's entries (200 and more) head the line: nothing needs reading below them. A
// technician's (150 + 10) has the entries waiting 160 hours or more ahead of it, about 1,900 of
// the 4,000: reading down to it is the cost, not reading the line. A closed entry's group has no
// stored order: its 1,000 entries are read and scored live. Each with the rows of the line its
// page may read.
const arranged = Effect.gen(function* () {
  const line = yield* longLine
  const { sql, person, entry, refresh } = line
  const manager = yield* person("manager")
  yield* entry(manager, 30 * hour)
  yield* entry(manager, hour)
  const technician = yield* person("technician")
  yield* entry(technician, 10 * hour)
  const member = yield* person("member")
  yield* entry(member, 500 * hour, "CANCELLED")
  // Someone who joined 40 times in the last hour: a page of entries at the back of the line. The
  // line is read once for the page, not once for each of its entries (80,000 rows).
  const regular = yield* person("member")
  for (let joined = 0; joined < 40; joined++) yield* entry(regular, joined * minute)
  yield* refresh()
  yield* sql`VACUUM ANALYZE waitlist_entries`
  const readers: ReadonlyArray<readonly [string, number]> = [
    [manager, 50],
    [technician, 2_500],
    [member, 1_100],
    [regular, 5_000]
  ]
  return { ...line, readers }
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

      it.effect(
        "a page's ranks are counted in one read of index ranges down to its last entry, not of the line",
        () =>
          Effect.gen(function* () {
            const { sql, repo, orgId, query, readers } = yield* arranged
            for (const [someone, bound] of readers) {
              const statement = yield* capturing(
                repo.ranked(orgId, query({ requesterId: Ids.AccountId.make(someone) }))
              )
              assert.deepStrictEqual(yield* planProblems(sql, statement!, "waitlist_entries", bound), [])
            }
          })
      )
    })

    // PGlite runs every statement unnamed: there is no plan cache to look at. A database of its
    // own: a connection weighs the generic plan against its first custom plans, which the tests
    // above make on other data (and leave statistics that are stale for the next org's line).
    if (store.name === "postgres")
      layer(Storage.layer.pipe(Layer.provideMerge(Ids.Ids.layer), Layer.provideMerge(store.layer)), {
        timeout: 120_000,
        excludeTestServices: true
      })("a requester's entries, planned once", (it) => {
        it.effect(
          "the statement is planned once: from its sixth execution PostgreSQL runs its generic plan, which reads as little",
          () =>
            Effect.gen(function* () {
              const { sql, repo, orgId, now, query, readers, person } = yield* arranged
              // Someone with no entry: the most common page, empty.
              const nobody = yield* person("member")
              const everyone = [...readers, [nobody, 0] as const]
              // And a small org, whose pages are cheaper than any in the long line.
              const small = yield* waitlistRows(now)
              const few = [yield* small.person("member"), yield* small.person("member")]
              yield* small.entry(few[0]!, hour)
              yield* sql`ANALYZE waitlist_entries`
              const read = (someone: string, org: Ids.OrgId = orgId) =>
                repo.ranked(org, query({ requesterId: Ids.AccountId.make(someone) }))
              const [text] = (yield* capturing(read(nobody)))!
              // One transaction: one connection, whose session holds the prepared statement.
              yield* sql.withTransaction(
                Effect.gen(function* () {
                  const plans = () =>
                    sql<{
                      name: string
                      generic: number
                      custom: number
                    }>`SELECT name, generic_plans::int AS generic,
                      custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = ${text}`
                  // The first five executions in the small org (the custom plans the generic one is
                  // weighed against), then the long line's.
                  for (let run = 0; run < 5; run++) yield* read(few[run % few.length]!, small.orgId)
                  for (const [someone] of everyone) yield* read(someone)
                  const [before] = yield* plans()
                  // It had no generic plan: custom plans reckoned with the org's and the requester's
                  // share of the rows and with no entry created after `now`, the generic plan with a
                  // share of any value and a third of the line, and an operator on a parameter on
                  // every row; the generic plan looked costlier than the first custom plans (those of
                  // the small org, or even the long line's alone), and every execution was planned anew.
                  assert.isAtLeast(before!.generic, 4)
                  assert.isAtMost(before!.custom, 5)
                  // The generic plan, run for each reader through the same prepared statement: it
                  // reads the line within the bounds above, and nothing of it for an empty page.
                  for (const [someone, bound] of everyone) {
                    const [, params] = (yield* capturing(read(someone)))!
                    const values = params.map((value) =>
                      value === null
                        ? "NULL"
                        : `'${(value instanceof Date ? value.toISOString() : String(value)).replaceAll("'", "''")}'`
                    )
                    const execute = `EXECUTE "${before!.name}" (${values.join(", ")})`
                    assert.deepStrictEqual(
                      yield* planProblems(sql, [execute, []], "waitlist_entries", bound),
                      []
                    )
                  }
                  const [after] = yield* plans()
                  assert.strictEqual(after!.custom, before!.custom)
                })
              )
            })
        )
      })
  })
}
