import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"
import { Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { Database, Migrations } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const run = promisify(execFile)
const fixture = fileURLToPath(new URL("./fixtures/jobRunnerProcess.ts", import.meta.url))
const base = process.env.DATABASE_URL

// Separate processes need a database server to share, so this runs where PostgreSQL is configured.
if (base !== undefined) {
  describe("the job runner across processes", () => {
    it.effect(
      "three server processes on one database run each tick of a job exactly once",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const { url } = yield* TestDatabase.migratedPostgresDatabase(base)
            const db = Migrations.layer.pipe(Layer.provideMerge(Database.layer({ url: Redacted.make(url) })))
            yield* Effect.gen(function* () {
              const sql = yield* SqlClient.SqlClient
              yield* sql`CREATE TABLE job_probe (tick bigint NOT NULL, runner text NOT NULL)`
            }).pipe(Effect.provide(db))

            yield* Effect.all(
              ["a", "b", "c"].map((runner) =>
                Effect.promise(() =>
                  run(process.execPath, ["--conditions=@rota/source", fixture], {
                    env: {
                      ...process.env,
                      DATABASE_URL: url,
                      RUNNER: runner,
                      EVERY_MS: "200",
                      RUN_MS: "3000"
                    },
                    timeout: 60_000
                  })
                )
              ),
              { concurrency: "unbounded" }
            )

            const rows = yield* Effect.gen(function* () {
              const sql = yield* SqlClient.SqlClient
              return yield* sql<{ tick: string; runs: number; runners: string }>`
                SELECT tick::text AS tick, count(*)::int AS runs, string_agg(runner, ',') AS runners
                FROM job_probe GROUP BY tick ORDER BY tick`
            }).pipe(Effect.provide(db))
            assert.isAtLeast(rows.length, 10)
            assert.deepStrictEqual(
              rows.filter((row) => row.runs !== 1),
              [],
              "ticks run more than once"
            )
          })
        ),
      90_000
    )
  })
}
