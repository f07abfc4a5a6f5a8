/**
 * Down-migrations: back to a version in one transaction, newest first; refused, changing
 * nothing, across a migration that has no down; forward again afterwards.
 */
import { assert, describe, layer } from "@effect/vitest"
import { Effect, Exit } from "effect"
import { SqlClient } from "effect/sql"
import { Migrations, Reversals } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const exists = (name: string) =>
  Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) =>
    Effect.map(
      sql<{ found: string | null }>`SELECT to_regclass(${name})::text AS found`,
      (rows) => rows[0]?.found != null
    )
  )

const applied = Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) =>
  Effect.map(
    sql<{ migration_id: number }>`SELECT migration_id FROM rota_migrations ORDER BY migration_id DESC LIMIT 1`
      .withoutTransform,
    (rows) => Number(rows[0]?.migration_id)
  )
)

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(store.layer, { timeout: 120_000 })("Reversals", (it) => {
      it.effect(
        "down to 24 reverts every later migration, newest first; down to 20 is refused untouched; up reapplies",
        () =>
          Effect.gen(function* () {
            const latest = Number(Object.keys(Migrations.migrations).at(-1)!.slice(0, 4))
            const reverted = yield* Migrations.down(24)
            assert.deepStrictEqual(reverted.slice(-3), [
              "0027_create_signing_keys",
              "0026_index_booking_lengths",
              "0025_index_booking_lists"
            ])
            assert.strictEqual(yield* applied, 24)
            assert.isFalse(yield* exists("signing_keys"))
            assert.isFalse(yield* exists("bookings_org_length"))
            for (const table of [
              "api_keys",
              "change_feed",
              "blackouts",
              "booking_series",
              "calendar_feeds",
              "unit_intake_links"
            ])
              assert.isFalse(yield* exists(table), table)
            assert.isTrue(yield* exists("bookings_requester"))

            const refused = yield* Effect.exit(Migrations.down(20))
            assert.isTrue(Exit.isFailure(refused))
            assert.strictEqual(yield* applied, 24)
            assert.isTrue(yield* exists("memberships"))

            const again = yield* Migrations.run
            // Counted, not subtracted: a number may be left unused (0021 is).
            const later = Object.keys(Migrations.migrations).filter((name) => Number(name.slice(0, 4)) > 24)
            assert.strictEqual(again.length, later.length)
            assert.strictEqual(yield* applied, latest)
            assert.isTrue(yield* exists("signing_keys"))
            assert.isTrue(yield* exists("unit_intake_links"))
            assert.isFalse(yield* exists("bookings_requester"))
            assert.isDefined(Reversals.downs[27])
          })
      )
    })
  })
}
