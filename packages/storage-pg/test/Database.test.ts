/**
 * The settings a PostgreSQL connection of Rota starts with, besides its deadlines.
 */
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { Database } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

// Three series of 1,000 rows joined: estimated at a billion rows, far above `jit_above_cost`;
// only planned here, never run.
const costly = `SELECT count(*) FROM generate_series(1, 1000) AS a, generate_series(1, 1000) AS b,
  generate_series(1, 1000) AS c`

// Whether PostgreSQL would compile `statement`'s plan: EXPLAIN says so in a "JIT" entry.
const compiles = (sql: SqlClient.SqlClient, statement: string) =>
  Effect.map(
    sql.unsafe<{ readonly "QUERY PLAN": unknown }>(`EXPLAIN (FORMAT JSON) ${statement}`),
    ([row]) => {
      const plan = row!["QUERY PLAN"]
      return JSON.stringify(typeof plan === "string" ? JSON.parse(plan) : plan).includes('"JIT"')
    }
  )

const base = process.env.DATABASE_URL
if (base !== undefined) {
  describe("postgres", () => {
    it.live(
      "a connection plans without JIT compilation, even for a statement estimated far above its threshold",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const { url } = yield* TestDatabase.freshPostgresDatabase(base)
            const context = yield* Layer.build(Database.layer({ url: Redacted.make(url) }))
            const sql = Context.get(context, SqlClient.SqlClient)
            const [setting] = yield* sql<{ readonly jit: string }>`SHOW jit`
            assert.strictEqual(setting?.jit, "off")
            assert.isFalse(yield* compiles(sql, costly))
            // The same statement with JIT on: compiled, where the server can compile (with JIT on,
            // `pg_jit_available` says whether it can).
            const [available, compiled] = yield* sql.withTransaction(
              Effect.andThen(
                sql`SET LOCAL jit = on`,
                Effect.all([
                  Effect.map(
                    sql<{ readonly available: boolean }>`SELECT pg_jit_available() AS available`,
                    ([row]) => row!.available
                  ),
                  compiles(sql, costly)
                ])
              )
            )
            assert.strictEqual(compiled, available)
          })
        )
    )
  })
}
