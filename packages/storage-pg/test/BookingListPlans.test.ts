/**
 * Every booking listing a client can ask for, planned on an org of 100k bookings: each reads
 * bookings through an index, in page order, and never sorts (or reads) the whole org. Run on
 * PostgreSQL when `DATABASE_URL` is set (its planner is the one production has), else on PGlite.
 */
import { assert, describe, layer } from "@effect/vitest"
import type { Booking, Records } from "@rota/core"
import { BookingRepos, Ids } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as BookingListSql from "../src/BookingListSql.ts"
import { Deadlines, Keyset, Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"
import { planProblems } from "./fixtures/Plans.ts"

const rows = 100_000
const people = 500
const units = 64
const hour = 3_600_000
const orgId = "0b9f6c3e-1d2a-4c5b-8e7f-000000000001"
const otherOrg = "0b9f6c3e-1d2a-4c5b-8e7f-000000000002"
const resourceId = "0b9f6c3e-1d2a-4c5b-8e7f-00000000000a"
const person = (n: number) => `0b9f6c3e-1d2a-4c5b-8e7f-${(0x100000 + n).toString(16).padStart(12, "0")}`
const unit = (n: number) => `0b9f6c3e-1d2a-4c5b-8e7f-${(0x200000 + n).toString(16).padStart(12, "0")}`

// As the bench seeds an org: booking n on unit n % 64 in slot n / 64 (2 h apart), the last 30
// days ahead of now. History is mostly returned, the future mostly approved, some pending.
const seed = (sql: SqlClient.SqlClient, now: Date) =>
  sql
    .withTransaction(
      Effect.gen(function* () {
        // The items' units are not seeded: their foreign keys are not what is planned here.
        yield* sql`SET LOCAL session_replication_role = replica`
        yield* sql`SET LOCAL statement_timeout = 0`
        for (const org of [orgId, otherOrg]) {
          const count = org === orgId ? rows : rows / 10
          yield* sql`INSERT INTO bookings (org_id, id, requester_id, status, start_at, end_at, purpose, created_at)
          SELECT ${org}::uuid, gen_random_uuid(),
            ('0b9f6c3e-1d2a-4c5b-8e7f-' || lpad(to_hex(1048576 + n % ${people}), 12, '0'))::uuid,
            CASE WHEN at < ${now} THEN CASE WHEN n % 10 = 7 THEN 'CANCELLED' WHEN n % 10 = 8 THEN 'REJECTED'
                WHEN n % 997 = 0 THEN 'OVERDUE' ELSE 'RETURNED' END
              ELSE CASE WHEN n % 10 = 8 THEN 'PENDING' WHEN n % 10 = 9 THEN 'CANCELLED' ELSE 'APPROVED' END END,
            at, at + interval '1 hour', 'plan', least(at - interval '7 days', ${now}::timestamptz)
          FROM (SELECT n, date_trunc('hour', ${now}::timestamptz)
              + ((n / ${units}) - ((${count} - 1) / ${units}) + 360) * interval '2 hours' AS at
            FROM generate_series(0, ${count} - 1) AS n) AS slots`
        }
        // Each item carries its booking's keys, as Rota writes them (the replica role skips the
        // trigger that would copy them).
        yield* sql`INSERT INTO booking_items (org_id, booking_id, unit_id, resource_id, start_at, created_at, status)
        SELECT org_id, id, ('0b9f6c3e-1d2a-4c5b-8e7f-' || lpad(to_hex(2097152 + abs(hashtext(id::text)) % ${units}), 12, '0'))::uuid,
          ${resourceId}::uuid, start_at, created_at, status
        FROM bookings`
      })
    )
    .pipe(
      Effect.andThen(sql`ANALYZE bookings`),
      Effect.andThen(sql`ANALYZE booking_items`),
      Effect.provideService(Deadlines.Unbounded, true)
    )

type Query = Records.ListQuery<Booking.BookingFilters, Booking.BookingSort>

const cases = (now: Date): ReadonlyArray<readonly [string, Omit<Query, "limit" | "cursor">]> => {
  const from = DateTime.fromDateUnsafe(now)
  const to = DateTime.makeUnsafe(now.getTime() + 7 * 24 * hour)
  const statusSets: ReadonlyArray<ReadonlyArray<Booking.BookingStatus>> = [
    ["APPROVED", "PENDING"],
    ["APPROVED"],
    ["PENDING"],
    ["CHECKED_OUT", "OVERDUE"],
    ["PENDING", "APPROVED", "CHECKED_OUT", "OVERDUE"]
  ]
  const sorts: ReadonlyArray<Query["sort"]> = [
    undefined,
    { field: "startAt", direction: "desc" },
    { field: "createdAt", direction: "desc" },
    { field: "createdAt", direction: "asc" }
  ]
  const all: Array<readonly [string, Omit<Query, "limit" | "cursor">]> = []
  for (const sort of sorts) {
    const sorted = sort === undefined ? "default sort" : `sort=${sort.field} ${sort.direction}`
    all.push([`no filter, ${sorted}`, { filters: {}, sort }])
    for (const statuses of statusSets)
      all.push([`status=${statuses.join(",")}, ${sorted}`, { filters: { statuses }, sort }])
    all.push([`requesterId, ${sorted}`, { filters: { requesterId: person(7) as never }, sort }])
    all.push([
      `requesterId and status=APPROVED,PENDING, ${sorted}`,
      { filters: { requesterId: person(7) as never, statuses: ["APPROVED", "PENDING"] }, sort }
    ])
    const unitId = unit(3) as never
    all.push([`unitId, ${sorted}`, { filters: { unitId }, sort }])
    for (const statuses of [["APPROVED", "PENDING"], ["PENDING"], ["CHECKED_OUT", "OVERDUE"]] as const)
      all.push([
        `unitId and status=${statuses.join(",")}, ${sorted}`,
        { filters: { unitId, statuses }, sort }
      ])
    all.push([
      `unitId and requesterId, ${sorted}`,
      { filters: { unitId, requesterId: person(7) as never }, sort }
    ])
    all.push([
      `unitId and resourceId, ${sorted}`,
      { filters: { unitId, resourceId: resourceId as never }, sort }
    ])
    all.push([`unitId and from/to a week, ${sorted}`, { filters: { unitId, from, to }, sort }])
    all.push([
      `unitId, status=APPROVED and from/to a week, ${sorted}`,
      { filters: { unitId, statuses: ["APPROVED"], from, to }, sort }
    ])
    if (sort?.field !== "createdAt")
      all.push([`unitId and from (calendar ahead), ${sorted}`, { filters: { unitId, from }, sort }])
    all.push([`resourceId, ${sorted}`, { filters: { resourceId: resourceId as never }, sort }])
    all.push([`from/to a week, ${sorted}`, { filters: { from, to }, sort }])
    // Creation order with an open-ended window has no bounded plan (the window is not a range
    // of the creation index, and is unbounded itself); the docs list it as not indexed.
    if (sort?.field !== "createdAt")
      all.push([`from (calendar ahead), ${sorted}`, { filters: { from }, sort }])
    all.push([
      `status=APPROVED and from/to a week, ${sorted}`,
      { filters: { statuses: ["APPROVED"], from, to }, sort }
    ])
    all.push([
      `status=APPROVED,PENDING and from/to a week, ${sorted}`,
      { filters: { statuses: ["APPROVED", "PENDING"], from, to }, sort }
    ])
  }
  return all
}

const store = TestDatabase.stores().at(-1)!

describe(store.name, () => {
  layer(Storage.layer.pipe(Layer.provideMerge(Ids.Ids.layer), Layer.provideMerge(store.layer)), {
    timeout: 300_000,
    excludeTestServices: true
  })("booking listings on an org of 100k bookings", (it) => {
    const now = new Date()
    const seeded = Effect.cached(Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) => seed(sql, now)))
    const ready = Effect.runSync(seeded)

    it.effect(
      "every filter and sort reads bookings through an index in page order, a page's worth of rows",
      () =>
        Effect.gen(function* () {
          yield* ready
          const sql = yield* SqlClient.SqlClient
          const failures: Array<string> = []
          for (const [name, query] of cases(now)) {
            const options = BookingListSql.listOptions(sql, orgId, { ...query, limit: 20, cursor: undefined })
            const [text, params] = Keyset.pageStatement(sql, options, undefined).compile()
            // A requester's bookings (1/500 of the org) may be read whole and sorted. Everything
            // else reads at most a page per status: a unit's bookings too, read from its items
            // in page order (each booking of the page one key lookup), so the items are held to
            // the same bound, plus the page's own items read with it.
            // In creation order a time window is not one index range: the window's bookings are
            // read through the start index and sorted, bounded by the window, not by the org.
            const windowed = query.sort?.field === "createdAt" && query.filters.to !== undefined
            const [inWindow] = windowed
              ? yield* sql<{
                  count: number
                }>`SELECT count(*)::int AS count FROM bookings WHERE org_id = ${orgId}
                  AND end_at > ${DateTime.toDateUtc(query.filters.from!)} AND start_at < ${DateTime.toDateUtc(query.filters.to!)}`
              : [undefined]
            // A unit and a requester: PostgreSQL reads the requester's bookings and sorts them, or
            // the unit's items in order, as its sampled statistics make either look cheaper: at
            // most the unit's share of the org either way.
            const bound =
              inWindow !== undefined
                ? inWindow.count + 21
                : query.filters.requesterId !== undefined && query.filters.unitId !== undefined
                  ? 2 * (rows / units)
                  : query.filters.requesterId !== undefined
                    ? 2 * (rows / people)
                    : 5 * 21
            const problems = yield* planProblems(sql, [text, params], "bookings", bound)
            if (query.filters.unitId !== undefined)
              problems.push(...(yield* planProblems(sql, [text, params], "booking_items", 2 * bound)))
            if (problems.length > 0) failures.push(`${name}: ${problems.join("; ")}`)
          }
          assert.deepStrictEqual(failures, [])
        }),
      300_000
    )

    it.effect("a unit's bookings are read from its items' index in page order, never sorted", () =>
      Effect.gen(function* () {
        yield* ready
        const sql = yield* SqlClient.SqlClient
        const failures: Array<string> = []
        for (const [name, query] of cases(now)) {
          const { filters, sort } = query
          // With a requester, PostgreSQL rightly reads the requester's bookings (fewer than the
          // unit's) and sorts them; in creation order a window is read in start order and sorted.
          if (filters.unitId === undefined || filters.requesterId !== undefined) continue
          if (sort?.field === "createdAt" && filters.from !== undefined) continue
          const options = BookingListSql.listOptions(sql, orgId, { ...query, limit: 20, cursor: undefined })
          const [text, params] = Keyset.pageStatement(sql, options, undefined).compile()
          const [explained] = yield* sql.unsafe<{ "QUERY PLAN": unknown }>(
            `EXPLAIN (FORMAT JSON) ${text}`,
            params
          )
          const plan = JSON.stringify(explained!["QUERY PLAN"])
          const indexes = [...plan.matchAll(/"Index Name": ?"(booking_items_unit_[a-z_]+)"/g)].map(
            (m) => m[1]
          )
          const expected = `booking_items_unit_${filters.statuses === undefined ? "" : "status_"}${sort?.field === "createdAt" ? "created" : "start"}`
          if (!indexes.includes(expected))
            failures.push(`${name}: no scan of ${expected} (${indexes.join(", ")})`)
          if (/"Node Type": ?"(Incremental )?Sort"/.test(plan)) failures.push(`${name}: sorted`)
        }
        assert.deepStrictEqual(failures, [])
      })
    )

    // PGlite runs every statement unnamed: there is no plan cache to look at.
    it.effect.runIf(store.name === "postgres")(
      "a listing is planned once: from its sixth execution PostgreSQL runs its generic plan",
      () =>
        Effect.gen(function* () {
          yield* ready
          const sql = yield* SqlClient.SqlClient
          const repo = yield* BookingRepos.BookingRepo
          const query: Query = {
            filters: { statuses: ["PENDING"] },
            sort: undefined,
            limit: 20,
            cursor: undefined
          }
          const [text] = Keyset.pageStatement(
            sql,
            BookingListSql.listOptions(sql, orgId, query),
            undefined
          ).compile()
          // One transaction: one connection, whose session holds the prepared statement.
          const plans = yield* sql.withTransaction(
            Effect.gen(function* () {
              for (let run = 0; run < 8; run++) yield* repo.list(orgId as never, query)
              return yield* sql<{ generic: number; custom: number }>`SELECT generic_plans::int AS generic,
                  custom_plans::int AS custom FROM pg_prepared_statements WHERE statement = ${text}`
            })
          )
          assert.strictEqual(plans.length, 1)
          // With the page size bound as a parameter, every execution was planned anew.
          assert.isAtLeast(plans[0]!.generic, 3)
          assert.isAtMost(plans[0]!.custom, 5)
        })
    )

    it.effect("a status set read range by range gives the pages a single sorted query gives", () =>
      Effect.gen(function* () {
        yield* ready
        const sql = yield* SqlClient.SqlClient
        const repo = yield* BookingRepos.BookingRepo
        for (const sort of [undefined, { field: "createdAt", direction: "desc" }] as const) {
          const column = sort === undefined ? "start_at" : "created_at"
          const direction = sort === undefined ? "ASC" : "DESC"
          const expected = yield* sql<{ id: string }>`SELECT id FROM bookings
            WHERE org_id = ${orgId} AND status IN ('APPROVED', 'PENDING')
            ORDER BY ${sql(column)} ${sql.literal(direction)}, id ${sql.literal(direction)} LIMIT 60`
          const ids: Array<string> = []
          let cursor: string | undefined
          for (let page = 0; page < 3; page++) {
            const result = yield* repo.list(orgId as never, {
              filters: { statuses: ["APPROVED", "PENDING"] },
              sort,
              limit: 20,
              cursor
            })
            ids.push(...result.items.map((booking) => booking.id))
            cursor = result.nextCursor ?? undefined
          }
          assert.deepStrictEqual(
            ids,
            expected.map((row) => row.id)
          )
        }
      })
    )
  })
})
