/**
 * Every report statement, planned on an org of 100k bookings, 100k fines and 100k interventions
 * (with their items, assignees and timelines) beside a smaller org: each reads its tables
 * through indexes, never scanning a table sequentially, and reads about what its window holds,
 * not the org's history. Run on PostgreSQL when `DATABASE_URL` is set (its planner is the one
 * production has), else on PGlite.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Ids } from "@rota/core"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { Deadlines, Storage } from "../src/index.ts"
import * as ReportSql from "../src/ReportSql.ts"
import { TestDatabase } from "../src/testing.ts"
import { aggregateProblems } from "./fixtures/Plans.ts"

// 100k by default; REPORT_PLAN_ROWS=1000000 plans the same statements on a million of each (the
// bounds below are per week, and a week holds as much whatever the org's size).
const rows = Number(process.env.REPORT_PLAN_ROWS ?? 100_000)
// Seeding a million of each takes minutes on a small machine.
const timeout = rows > 100_000 ? 1_800_000 : 300_000
const units = 64
const people = 500
const technicians = 20
const orgId = "0c9f6c3e-1d2a-4c5b-8e7f-000000000001"
const otherOrg = "0c9f6c3e-1d2a-4c5b-8e7f-000000000002"
const resourceId = "0c9f6c3e-1d2a-4c5b-8e7f-00000000000a"
const uuidOf = (base: number) => (n: string) =>
  `('0c9f6c3e-1d2a-4c5b-8e7f-' || lpad(to_hex(${base} + ${n}), 12, '0'))::uuid`
const person = uuidOf(0x100000)
const unit = uuidOf(0x200000)

// Booking n holds unit n % 64 in slot n / 64 (2 h apart, the last 30 days ahead of now), as the
// booking plan test seeds; fines and interventions spread one every 10 minutes up to now.
const seed = (sql: SqlClient.SqlClient, now: Date) =>
  sql
    .withTransaction(
      Effect.gen(function* () {
        // Foreign keys to accounts and memberships are not what is planned here.
        yield* sql`SET LOCAL session_replication_role = replica`
        yield* sql`SET LOCAL statement_timeout = 0`
        for (const org of [orgId, otherOrg]) {
          const count = org === orgId ? rows : rows / 10
          yield* sql.unsafe(`INSERT INTO resources (org_id, id, type, name, status, created_at)
            VALUES ('${org}', '${resourceId}', 'tool', 'Drill', 'AVAILABLE', now())`)
          yield* sql.unsafe(`INSERT INTO resource_units (org_id, id, resource_id, barcode, condition, status, created_at)
            SELECT '${org}', ${unit("n")}, '${resourceId}', 'D-' || n, 'GOOD', 'AVAILABLE', now()
            FROM generate_series(0, ${units - 1}) AS n`)
          yield* sql`INSERT INTO bookings (org_id, id, requester_id, status, start_at, end_at, purpose, created_at)
            SELECT ${org}::uuid, ('0c9f6c3e-1d2a-4c5b-8e7f-' || lpad(to_hex(${0x300000} + n), 12, '0'))::uuid,
              ('0c9f6c3e-1d2a-4c5b-8e7f-' || lpad(to_hex(${0x100000} + n % ${people}), 12, '0'))::uuid,
              CASE WHEN at < ${now} THEN CASE WHEN n % 10 = 7 THEN 'CANCELLED' WHEN n % 997 = 0 THEN 'OVERDUE'
                  WHEN n % 10 = 8 THEN 'REJECTED' ELSE 'RETURNED' END
                ELSE CASE WHEN n % 10 = 8 THEN 'PENDING' ELSE 'APPROVED' END END,
              at, at + interval '1 hour', 'plan', least(at - interval '7 days', ${now}::timestamptz)
            FROM (SELECT n, date_trunc('hour', ${now}::timestamptz)
                + ((n / ${units}) - ((${count} - 1) / ${units}) + 360) * interval '2 hours' AS at
              FROM generate_series(0, ${count} - 1) AS n) AS slots`
          // Items carry their booking's keys (the replica role skips the trigger that copies them).
          yield* sql.unsafe(`INSERT INTO booking_items (org_id, booking_id, unit_id, resource_id, start_at, created_at, status)
            SELECT '${org}', id, ${unit(`(('x' || substr(id::text, 25))::bit(48)::bigint - ${0x300000}) % ${units}`)},
              '${resourceId}', start_at, created_at, status
            FROM bookings WHERE org_id = '${org}'`)
          // Each unit is closed for a day every four weeks.
          yield* sql.unsafe(`INSERT INTO allocations (org_id, id, subject_type, subject_id, during, source_type, source_id, created_at)
            SELECT '${org}', gen_random_uuid(), 'unit', ${unit("u")},
              tstzrange(date_trunc('day', now()) - w * interval '28 days' + interval '1 hour',
                date_trunc('day', now()) - w * interval '28 days' + interval '25 hours', '[)'),
              'blackout', gen_random_uuid(), now()
            FROM generate_series(0, ${units - 1}) AS u, generate_series(1, 100) AS w`)
          yield* sql`INSERT INTO fines (org_id, id, account_id, amount, currency, paid, reason, status, created_at)
            SELECT ${org}::uuid, gen_random_uuid(),
              ('0c9f6c3e-1d2a-4c5b-8e7f-' || lpad(to_hex(${0x100000} + n % ${people}), 12, '0'))::uuid,
              500 + n % 7, 'EUR', CASE WHEN n % 3 = 1 THEN 500 ELSE 0 END, 'late',
              CASE n % 3 WHEN 0 THEN 'OPEN' WHEN 1 THEN 'PAID' ELSE 'WAIVED' END,
              ${now}::timestamptz - n * interval '10 minutes'
            FROM generate_series(0, ${count} - 1) AS n`
          yield* sql`INSERT INTO interventions (org_id, id, number, title, kind, priority, status, completed_at,
              created_at)
            SELECT ${org}::uuid, ('0c9f6c3e-1d2a-4c5b-8e7f-' || lpad(to_hex(${0x400000} + n), 12, '0'))::uuid,
              n + 1, 'Work', CASE WHEN n % 4 = 0 THEN 'PREVENTIVE' ELSE 'CORRECTIVE' END,
              (ARRAY['LOW', 'NORMAL', 'HIGH', 'URGENT'])[1 + n % 4],
              CASE WHEN n % 5 = 0 THEN 'PENDING' WHEN n % 5 = 1 THEN 'IN_PROGRESS' ELSE 'COMPLETED' END,
              CASE WHEN n % 5 >= 2 THEN ${now}::timestamptz - n * interval '10 minutes' + interval '5 hours' END,
              ${now}::timestamptz - n * interval '10 minutes'
            FROM generate_series(0, ${count} - 1) AS n`
          yield* sql`INSERT INTO intervention_assignees (org_id, intervention_id, account_id)
            SELECT org_id, id, ('0c9f6c3e-1d2a-4c5b-8e7f-' || lpad(to_hex(${0x100000} + number % ${technicians}), 12, '0'))::uuid
            FROM interventions WHERE org_id = ${org}`
          yield* sql`INSERT INTO intervention_events (org_id, id, intervention_id, type, at, data)
            SELECT org_id, gen_random_uuid(), id, kinds.event, created_at + interval '1 hour', '{}'::jsonb
            FROM interventions CROSS JOIN (VALUES ('created'), ('note'), ('started')) AS kinds (event)
            WHERE org_id = ${org} AND (kinds.event <> 'started' OR status <> 'PENDING')`
        }
        yield* sql.unsafe(`INSERT INTO accounts (id, email, username, full_name, created_at)
          SELECT ${person("n")}, 'p' || n || '@example.com', 'p' || n, 'Person ' || n, now()
          FROM generate_series(0, ${people - 1}) AS n`)
      })
    )
    .pipe(
      Effect.andThen(
        Effect.forEach(
          [
            "bookings",
            "booking_items",
            "allocations",
            "fines",
            "interventions",
            "intervention_assignees",
            "intervention_events",
            "resource_units",
            "accounts"
          ],
          (table) => sql`ANALYZE ${sql(table)}`,
          { discard: true }
        )
      ),
      Effect.provideService(Deadlines.Unbounded, true)
    )

const day = 86_400_000
const store = TestDatabase.stores().at(-1)!

describe(store.name, () => {
  layer(Storage.layer.pipe(Layer.provideMerge(Ids.Ids.layer), Layer.provideMerge(store.layer)), {
    timeout,
    excludeTestServices: true
  })("report statements on a large org", (it) => {
    const now = new Date()
    const seeded = Effect.cached(Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) => seed(sql, now)))
    const ready = Effect.runSync(seeded)

    it.effect(
      "each report reads its tables through indexes, about a window's worth of rows",
      () =>
        Effect.gen(function* () {
          yield* ready
          const sql = yield* SqlClient.SqlClient
          // A week holds 5,376 bookings (12 slots a day on 64 units) and 1,008 fines and
          // interventions (one every 10 minutes); the org holds 100k of each.
          const week = { from: new Date(now.getTime() - 7 * day), to: now }
          const windowed = 12_000
          // Two reads of the week's interventions at most: a timeline read whole (three events
          // each) instead of its first `started` event would pass this.
          const fewPerIntervention = 2_100
          const cases: ReadonlyArray<
            readonly [string, readonly [string, ReadonlyArray<unknown>], Record<string, number>]
          > = [
            [
              "utilisation by unit",
              ReportSql.utilisation(sql, orgId, week, "unit").compile(),
              {
                bookings: windowed,
                booking_items: windowed,
                allocations: windowed
              }
            ],
            [
              "utilisation by resource",
              ReportSql.utilisation(sql, orgId, week, "resource").compile(),
              {
                bookings: windowed,
                booking_items: windowed,
                allocations: windowed
              }
            ],
            [
              "fines by client",
              ReportSql.finesByClient(sql, orgId, week, now).compile(),
              {
                bookings: windowed,
                fines: fewPerIntervention
              }
            ],
            [
              "fines by status",
              ReportSql.finesByStatus(sql, orgId, week).compile(),
              { fines: fewPerIntervention }
            ],
            [
              "technician workload",
              ReportSql.workload(sql, orgId, week).compile(),
              {
                interventions: fewPerIntervention,
                intervention_assignees: fewPerIntervention
              }
            ],
            [
              "lead times",
              ReportSql.leadTimes(sql, orgId, week).compile(),
              {
                interventions: fewPerIntervention,
                intervention_events: fewPerIntervention
              }
            ]
          ]
          const failures: Array<string> = []
          for (const [name, statement, bounds] of cases) {
            const problems = yield* aggregateProblems(sql, statement, bounds)
            if (problems.length > 0) failures.push(`${name}: ${problems.join("; ")}`)
          }
          assert.deepStrictEqual(failures, [])
        }),
      timeout
    )
  })
})
