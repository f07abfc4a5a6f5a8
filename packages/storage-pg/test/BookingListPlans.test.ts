/**
 * Every booking listing a client can ask for, planned on an org of 100k bookings: each reads
 * bookings through an index, in page order, and never sorts (or reads) the whole org. Run on
 * PostgreSQL when `DATABASE_URL` is set (its planner is the one production has), else on PGlite.
 */
import { assert, describe, layer } from "@effect/vitest"
import type { Booking, Records } from "@rota/core"
import { BookingRepos, Ids, Pagination } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as BookingListSql from "../src/BookingListSql.ts"
import { Deadlines, Keyset, Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"
import { planProblems } from "./fixtures/Plans.ts"

const rows = 100_000
const people = 500
const units = 64
const resources = 16
// One booking in `rarely` also holds two units of one more resource.
const rarely = 250
const hour = 3_600_000
const orgId = "0b9f6c3e-1d2a-4c5b-8e7f-000000000001"
const otherOrg = "0b9f6c3e-1d2a-4c5b-8e7f-000000000002"
const person = (n: number) => `0b9f6c3e-1d2a-4c5b-8e7f-${(0x100000 + n).toString(16).padStart(12, "0")}`
const unit = (n: number) => `0b9f6c3e-1d2a-4c5b-8e7f-${(0x200000 + n).toString(16).padStart(12, "0")}`
const resource = (n: number) => `0b9f6c3e-1d2a-4c5b-8e7f-${(0x300000 + n).toString(16).padStart(12, "0")}`
// Unit 3's resource: one booking in 16. The rare one: one in 250, each through two items.
const resourceId = resource(3)
const rareResource = resource(resources)

// As the bench seeds an org: booking n on unit n % 64 in slot n / 64 (2 h apart), the last 30
// days ahead of now. History is mostly returned, the future mostly approved, some pending. Unit
// u is of resource u % 16, and one booking in 250 also holds units 64 and 65 of a seventeenth
// resource: an org of many resources, where the listing of one reads its share of the org only
// if it reads the resource's items.
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
        SELECT org_id, id, ('0b9f6c3e-1d2a-4c5b-8e7f-' || lpad(to_hex(2097152 + n), 12, '0'))::uuid,
          ('0b9f6c3e-1d2a-4c5b-8e7f-' || lpad(to_hex(3145728 + n % ${resources}), 12, '0'))::uuid,
          start_at, created_at, status
        FROM (SELECT bookings.*, abs(hashtext(id::text)) % ${units} AS n FROM bookings) AS booked`
        yield* sql`INSERT INTO booking_items (org_id, booking_id, unit_id, resource_id, start_at, created_at, status)
        SELECT org_id, id, ('0b9f6c3e-1d2a-4c5b-8e7f-' || lpad(to_hex(2097152 + ${units} + copy), 12, '0'))::uuid,
          ${rareResource}::uuid, start_at, created_at, status
        FROM bookings CROSS JOIN generate_series(0, 1) AS copy
        WHERE (abs(hashtext(id::text)) / ${units}) % ${rarely} = 0`
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
    // A unit's or a resource's bookings, read from their items: alone and with each other filter.
    const fromItems = (label: string, listed: Booking.BookingFilters) => {
      all.push([`${label}, ${sorted}`, { filters: listed, sort }])
      for (const statuses of [["APPROVED", "PENDING"], ["PENDING"], ["CHECKED_OUT", "OVERDUE"]] as const)
        all.push([
          `${label} and status=${statuses.join(",")}, ${sorted}`,
          { filters: { ...listed, statuses }, sort }
        ])
      all.push([
        `${label} and requesterId, ${sorted}`,
        { filters: { ...listed, requesterId: person(7) as never }, sort }
      ])
      all.push([`${label} and from/to a week, ${sorted}`, { filters: { ...listed, from, to }, sort }])
      all.push([
        `${label}, status=APPROVED and from/to a week, ${sorted}`,
        { filters: { ...listed, statuses: ["APPROVED"], from, to }, sort }
      ])
      if (sort?.field !== "createdAt")
        all.push([`${label} and from (calendar ahead), ${sorted}`, { filters: { ...listed, from }, sort }])
    }
    fromItems("unitId", { unitId: unit(3) as never })
    all.push([
      `unitId and resourceId, ${sorted}`,
      { filters: { unitId: unit(3) as never, resourceId: resourceId as never }, sort }
    ])
    fromItems("resourceId", { resourceId: resourceId as never })
    fromItems("rarely booked resourceId", { resourceId: rareResource as never })
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

    // The statements of a listing's first page and of the page after it (from the first page's
    // cursor, as a client sends it).
    const pageStatements = (query: Omit<Query, "limit" | "cursor">) =>
      Effect.gen(function* () {
        const sql = yield* SqlClient.SqlClient
        const repo = yield* BookingRepos.BookingRepo
        const options = BookingListSql.listOptions(sql, orgId, { ...query, limit: 20, cursor: undefined })
        const first = yield* repo.list(orgId as never, { ...query, limit: 20, cursor: undefined })
        const next =
          first.nextCursor === null ? undefined : yield* Keyset.positionOf(options.column, first.nextCursor)
        const positions = next === undefined ? [undefined] : [undefined, next]
        return positions.map((position) => ({
          page: position === undefined ? "first page" : "next page",
          statement: Keyset.pageStatement(sql, options, position).compile()
        }))
      }).pipe(Effect.orDie)

    it.effect(
      "every filter and sort reads bookings through an index in page order, a page's worth of rows",
      () =>
        Effect.gen(function* () {
          yield* ready
          const sql = yield* SqlClient.SqlClient
          const failures: Array<string> = []
          for (const [name, query] of cases(now)) {
            const { filters } = query
            const listed = BookingListSql.listedItems(filters)
            // A requester's bookings (1/500 of the org) may be read whole and sorted. Everything
            // else reads at most a page per status: a unit's or a resource's bookings too, read
            // from their items in page order (each booking of the page one key lookup, each item
            // of a resource's booking of two units one more), so the items are held to the same
            // bound, plus the page's own items read with it.
            // In creation order a time window is not one index range: the window's bookings (of
            // the unit or resource: its items) are read in start order and sorted, bounded by the
            // window, not by the org.
            const windowed = query.sort?.field === "createdAt" && filters.to !== undefined
            const [inWindow] = !windowed
              ? [undefined]
              : yield* sql<{ count: number }>`SELECT count(*)::int AS count FROM bookings
                  ${
                    listed === undefined
                      ? sql``
                      : sql`JOIN booking_items AS listed ON listed.org_id = bookings.org_id
                    AND listed.booking_id = bookings.id AND listed.${sql(listed.column)} = ${listed.id}`
                  }
                  WHERE bookings.org_id = ${orgId} AND bookings.end_at > ${DateTime.toDateUtc(filters.from!)}
                    AND bookings.start_at < ${DateTime.toDateUtc(filters.to!)}`
            // A unit or resource and a requester: PostgreSQL reads the requester's bookings and
            // sorts them, or the items in order, as its sampled statistics make either look
            // cheaper: at most a unit's share of the org either way.
            const bound =
              inWindow !== undefined
                ? inWindow.count + 21
                : filters.requesterId !== undefined && listed !== undefined
                  ? 2 * (rows / units)
                  : filters.requesterId !== undefined
                    ? 2 * (rows / people)
                    : 5 * 21
            for (const { page, statement } of yield* pageStatements(query)) {
              const problems = yield* planProblems(sql, statement, "bookings", bound)
              if (listed !== undefined)
                problems.push(...(yield* planProblems(sql, statement, "booking_items", 2 * bound)))
              if (problems.length > 0) failures.push(`${name}, ${page}: ${problems.join("; ")}`)
            }
          }
          assert.deepStrictEqual(failures, [])
        }),
      300_000
    )

    it.effect(
      "a unit's or a resource's bookings are read from their items' index in page order, never sorted",
      () =>
        Effect.gen(function* () {
          yield* ready
          const sql = yield* SqlClient.SqlClient
          const failures: Array<string> = []
          for (const [name, query] of cases(now)) {
            const { filters, sort } = query
            // With a requester, PostgreSQL may rightly read the requester's bookings (fewer than the
            // unit's or resource's) and sort them; in creation order a window is read in start
            // order and sorted.
            if (filters.unitId === undefined && filters.resourceId === undefined) continue
            if (filters.requesterId !== undefined) continue
            if (sort?.field === "createdAt" && filters.from !== undefined) continue
            // With both, the unit's items are read and the resource is a condition.
            const listed = filters.unitId === undefined ? "resource" : "unit"
            const expected = `booking_items_${listed}_${filters.statuses === undefined ? "" : "status_"}${sort?.field === "createdAt" ? "created" : "start"}`
            for (const { page, statement } of yield* pageStatements(query)) {
              const [text, params] = statement
              const [explained] = yield* sql.unsafe<{ "QUERY PLAN": unknown }>(
                `EXPLAIN (FORMAT JSON) ${text}`,
                params
              )
              const plan = JSON.stringify(explained!["QUERY PLAN"])
              const indexes = [...plan.matchAll(/"Index Name": ?"(booking_items_[a-z_]+)"/g)].map((m) => m[1])
              if (!indexes.includes(expected))
                failures.push(`${name}, ${page}: no scan of ${expected} (${indexes.join(", ")})`)
              if (/"Node Type": ?"(Incremental )?Sort"/.test(plan)) failures.push(`${name}, ${page}: sorted`)
            }
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

    it.effect(
      "a resource's bookings read from its items give each booking once, with the pages and cursors its bookings' own order gives",
      () =>
        Effect.gen(function* () {
          yield* ready
          const sql = yield* SqlClient.SqlClient
          const repo = yield* BookingRepos.BookingRepo
          const sorts = [
            undefined,
            { field: "startAt", direction: "desc" },
            { field: "createdAt", direction: "asc" },
            { field: "createdAt", direction: "desc" }
          ] as const
          for (const listed of [resourceId, rareResource])
            for (const sort of sorts)
              for (const statuses of [undefined, ["APPROVED", "PENDING"] as const]) {
                const column = sort?.field === "createdAt" ? "created_at" : "start_at"
                const direction = sort?.direction === "desc" ? "DESC" : "ASC"
                // As the listing read them before: the org's bookings with an item of the resource.
                const expected = yield* sql<{ id: string; key: string }>`SELECT id,
                    ${Keyset.microsOf(sql, sql`${sql(column)}`)}::text AS key FROM bookings
                  WHERE org_id = ${orgId} ${statuses === undefined ? sql`` : sql`AND status IN ${sql.in(statuses)}`}
                    AND EXISTS (SELECT 1 FROM booking_items WHERE booking_items.org_id = bookings.org_id
                      AND booking_items.booking_id = bookings.id AND booking_items.resource_id = ${listed})
                  ORDER BY ${sql(column)} ${sql.literal(direction)}, id ${sql.literal(direction)} LIMIT 60`
                const ids: Array<string> = []
                const cursors: Array<string | null> = []
                let cursor: string | undefined
                for (let page = 0; page < 3; page++) {
                  const result = yield* repo.list(orgId as never, {
                    filters: { resourceId: listed as never, statuses },
                    sort,
                    limit: 20,
                    cursor
                  })
                  ids.push(...result.items.map((booking) => booking.id))
                  cursors.push(result.nextCursor)
                  cursor = result.nextCursor ?? undefined
                }
                const context = JSON.stringify({ listed, sort, statuses })
                assert.deepStrictEqual(
                  ids,
                  expected.map((row) => row.id),
                  context
                )
                assert.deepStrictEqual(
                  cursors,
                  [19, 39, 59].map((last) =>
                    Pagination.encodeCursor([Number(expected[last]!.key), expected[last]!.id])
                  ),
                  context
                )
              }
        })
    )
  })
})
