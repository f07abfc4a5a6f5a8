/**
 * `rota migrate up | status | down --to <version>`.
 *
 * @since 0.1.0
 */
import { Migrations } from "@rota/storage-pg"
import { Console, Effect } from "effect"
import { Command, Flag } from "effect/cli"
import { SqlClient } from "effect/sql"
import { withDatabase, withStore } from "./Store.ts"

const up = Command.make("up", {}, () =>
  withStore(Console.log("migrations applied; the database is up to date"))
).pipe(Command.withDescription("Apply pending migrations (the server also does this when it starts)"))

// A database nothing was applied to has no migrations table yet.
const appliedIds = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ migration_id: number }>`SELECT migration_id FROM ${sql(Migrations.table)}`
    .withoutTransform
  return new Set(rows.map((row) => Number(row.migration_id)))
}).pipe(Effect.orElseSucceed(() => new Set<number>()))

const status = Command.make("status", {}, () =>
  withDatabase(
    Effect.gen(function* () {
      const done = yield* appliedIds
      for (const name of Object.keys(Migrations.migrations)) {
        yield* Console.log(`${done.has(Number(name.slice(0, 4))) ? "applied" : "pending"}  ${name}`)
      }
    })
  )
).pipe(Command.withDescription("List every migration and whether it is applied"))

const down = Command.make(
  "down",
  { to: Flag.Int("to").pipe(Flag.withDescription("The migration number to go back to (it stays applied)")) },
  ({ to }) =>
    withDatabase(
      Effect.gen(function* () {
        const reverted = yield* Migrations.down(to)
        yield* Console.log(
          reverted.length === 0
            ? `nothing to revert: no migration above ${to} is applied`
            : `reverted ${reverted.join(", ")}; the database is at ${String(to).padStart(4, "0")}`
        )
      })
    )
).pipe(
  Command.withDescription(
    "Revert the migrations above a version, newest first, in one transaction; refuses if one of them cannot be reverted"
  )
)

/**
 * @since 0.1.0
 * @category commands
 */
export const migrate = Command.make("migrate").pipe(
  Command.withDescription("Database migrations"),
  Command.withSubcommands([up, status, down])
)
