import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { Database, Migrations } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

for (const store of TestDatabase.stores({ fromScratch: true })) {
  describe(store.name, () => {
    layer(store.layer, { timeout: 60_000 })("Migrations", (it) => {
      it.effect("records every migration once, in order", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<{ migration_id: number; name: string }>`
            SELECT migration_id, name FROM rota_migrations ORDER BY migration_id`
          const expected = Object.keys(Migrations.migrations).map((key) => {
            const [, id, name] = /^(\d+)_(.+)$/.exec(key)!
            return { migration_id: Number(id), name: name! }
          })
          assert.deepStrictEqual(
            rows.map((row) => ({ migration_id: row.migration_id, name: row.name })),
            expected
          )
        })
      )

      it.effect("running them again applies nothing", () =>
        Effect.gen(function* () {
          const applied = yield* Migrations.run
          assert.deepStrictEqual(applied, [])
        })
      )

      it.effect("enables btree_gist for the ledger's exclusion constraints", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const rows = yield* sql<{
            extname: string
          }>`SELECT extname FROM pg_extension WHERE extname = 'btree_gist'`
          assert.strictEqual(rows.length, 1)
        })
      )
    })
  })
}

// Needs a server to create databases on, so it runs only where PostgreSQL is configured.
const base = process.env.DATABASE_URL
if (base !== undefined)
  describe("concurrent start-up", () => {
    it.effect(
      "servers migrating one new PostgreSQL database at once apply each migration once",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const { url } = yield* TestDatabase.freshPostgresDatabase(base)
            // Four pools, as four servers starting together would have.
            const server = Migrations.run.pipe(
              Effect.provide(Database.layer({ url: Redacted.make(url), maxConnections: 2 }))
            )
            const results = yield* Effect.all([server, server, server, server], { concurrency: "unbounded" })
            const appliers = results.filter((applied) => applied.length > 0)
            assert.strictEqual(appliers.length, 1)
            assert.strictEqual(appliers[0]!.length, Object.keys(Migrations.migrations).length)
          })
        ),
      { timeout: 60_000 }
    )
  })
