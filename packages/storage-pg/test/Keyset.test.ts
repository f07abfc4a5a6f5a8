/**
 * Keyset pages over a timestamp: every row exactly once, even when many rows share one
 * millisecond (rows written outside Rota may carry microseconds a JavaScript date drops). Pages
 * in id order take only uuids as keys. A source that holds a row more than once gives it once.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Pagination } from "@rota/core"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import * as Keyset from "../src/Keyset.ts"
import { TestDatabase } from "../src/testing.ts"

const column: Keyset.Column = { name: "created_at", kind: "timestamp" }

// Fills a temporary table with `count` rows stamped `start` plus (n % `spread`) microseconds,
// pages through it `limit` rows at a time, and checks every row comes once, in the table's order.
const pagesThrough = (options: {
  readonly start: string
  readonly spread: number
  readonly count: number
  readonly limit: number
  readonly direction: "asc" | "desc"
}) =>
  Effect.gen(function* () {
    const { start, spread, count, limit, direction } = options
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TEMP TABLE IF NOT EXISTS stamped (id uuid PRIMARY KEY, created_at timestamptz NOT NULL)`
    yield* sql`TRUNCATE stamped`
    yield* sql`INSERT INTO stamped
      SELECT gen_random_uuid(), ${start}::timestamptz + (n % ${spread}) * interval '1 microsecond'
      FROM generate_series(1, ${count}) AS n`
    const seen: Array<string> = []
    let cursor: string | undefined
    for (let pages = 0; pages < 10; pages++) {
      const page = yield* Keyset.page<{ readonly id: string }>(sql, {
        source: sql`stamped`,
        conditions: [],
        column,
        direction,
        limit,
        cursor
      })
      seen.push(...page.items.map((row) => row.id))
      if (page.nextCursor === null) break
      cursor = page.nextCursor
    }
    const expected = yield* sql<{ readonly id: string }>`SELECT id FROM stamped
      ${Keyset.orderBy(sql, column, direction)}`
    assert.deepStrictEqual(
      seen,
      expected.map((row) => row.id)
    )
  }).pipe(Effect.orDie)

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(store.layer, { timeout: 60_000 })("keyset pages over a timestamp", (it) => {
      for (const direction of ["asc", "desc"] as const)
        it.effect(`30 rows in two microseconds of one millisecond, pages of 7, ${direction}`, () =>
          pagesThrough({ start: "2026-01-01 00:00:00.000123+00", spread: 2, count: 30, limit: 7, direction })
        )

      // Past 2^53 (the year 2255) a microsecond key is not exact as a number: the cursor carries
      // its digits. Undated interventions sort as due at the end of year 9999.
      for (const direction of ["asc", "desc"] as const)
        it.effect(`rows at the end of year 9999, a row a page, ${direction}`, () =>
          pagesThrough({ start: "9999-12-31 00:00:00+00", spread: 3, count: 6, limit: 1, direction })
        )

      it.effect("a cursor issued in milliseconds still reads", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`CREATE TEMP TABLE IF NOT EXISTS stamped (id uuid PRIMARY KEY, created_at timestamptz NOT NULL)`
          yield* sql`TRUNCATE stamped`
          yield* sql`INSERT INTO stamped VALUES
            ('00000000-0000-4000-8000-000000000001', '2026-01-01 00:00:00+00'),
            ('00000000-0000-4000-8000-000000000002', '2026-01-01 00:00:01+00')`
          const legacy = Pagination.encodeCursor([
            Date.parse("2026-01-01T00:00:00Z"),
            "00000000-0000-4000-8000-000000000001"
          ])
          const page = yield* Keyset.page<{ readonly id: string }>(sql, {
            source: sql`stamped`,
            conditions: [],
            column,
            direction: "asc",
            limit: 7,
            cursor: legacy
          })
          assert.deepStrictEqual(
            page.items.map((row) => row.id),
            ["00000000-0000-4000-8000-000000000002"]
          )
        }).pipe(Effect.orDie)
      )
    })

    layer(store.layer, { timeout: 60_000 })("keyset pages by id", (it) => {
      const byId: Keyset.Column = { name: "id", kind: "uuid" }
      const pageOf = (sql: SqlClient.SqlClient, cursor: string | undefined) =>
        Keyset.page<{ readonly id: string }>(sql, {
          source: sql`keyed`,
          conditions: [],
          column: byId,
          direction: "asc",
          limit: 2,
          cursor
        })

      it.effect("pages in id order, each row once, and refuses a key that is not a uuid", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          yield* sql`CREATE TEMP TABLE IF NOT EXISTS keyed (id uuid PRIMARY KEY)`.pipe(Effect.orDie)
          yield* sql`TRUNCATE keyed`.pipe(Effect.orDie)
          yield* sql`INSERT INTO keyed SELECT gen_random_uuid() FROM generate_series(1, 5)`.pipe(Effect.orDie)
          const seen: Array<string> = []
          let cursor: string | undefined
          for (let pages = 0; pages < 5; pages++) {
            const page = yield* pageOf(sql, cursor)
            seen.push(...page.items.map((row) => row.id))
            if (page.nextCursor === null) break
            cursor = page.nextCursor
          }
          const expected = yield* sql<{ readonly id: string }>`SELECT id FROM keyed ORDER BY id`.pipe(
            Effect.orDie
          )
          assert.deepStrictEqual(
            seen,
            expected.map((row) => row.id)
          )
          for (const key of ["not-a-uuid", 0]) {
            const refused = yield* Effect.flip(pageOf(sql, Pagination.encodeCursor([key, seen[0]!])))
            assert.strictEqual(refused._tag, "ValidationFailed")
          }
        })
      )
    })

    layer(store.layer, { timeout: 60_000 })(
      "keyset pages over a source that holds rows more than once",
      (it) => {
        // Nine rows over three hours and two kinds; row n comes n % 3 + 1 times.
        const copies = (sql: SqlClient.SqlClient) =>
          Effect.gen(function* () {
            yield* sql`CREATE TEMP TABLE IF NOT EXISTS copied
            (id uuid PRIMARY KEY, created_at timestamptz NOT NULL, kind text NOT NULL, copies int NOT NULL)`
            yield* sql`TRUNCATE copied`
            yield* sql`INSERT INTO copied SELECT gen_random_uuid(),
              '2026-01-01 00:00:00+00'::timestamptz + (n % 3) * interval '1 hour', CASE WHEN n % 2 = 0 THEN 'a' ELSE 'b' END,
              n % 3 + 1
            FROM generate_series(1, 9) AS n`
          })

        for (const direction of ["asc", "desc"] as const)
          for (const split of [undefined, { column: "kind", values: ["a", "b"] }])
            it.effect(
              `distinct: each row once, pages of 2, ${direction}${split === undefined ? "" : ", split by kind"}`,
              () =>
                Effect.gen(function* () {
                  const sql = yield* SqlClient.SqlClient
                  yield* copies(sql)
                  const seen: Array<string> = []
                  let cursor: string | undefined
                  for (let pages = 0; pages < 10; pages++) {
                    const page = yield* Keyset.page<{ readonly id: string }>(sql, {
                      source: sql`(SELECT id, created_at, kind FROM copied CROSS JOIN generate_series(1, copies) AS copy)`,
                      distinct: true,
                      conditions: [],
                      split,
                      column,
                      direction,
                      limit: 2,
                      cursor
                    })
                    seen.push(...page.items.map((row) => row.id))
                    if (page.nextCursor === null) break
                    cursor = page.nextCursor
                  }
                  const expected = yield* sql<{ readonly id: string }>`SELECT id FROM copied
                  ${Keyset.orderBy(sql, column, direction)}`
                  assert.deepStrictEqual(
                    seen,
                    expected.map((row) => row.id)
                  )
                }).pipe(Effect.orDie)
            )
      }
    )
  })
}
