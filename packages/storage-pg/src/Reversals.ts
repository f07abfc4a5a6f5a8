/**
 * Down-migrations: how far back a database can be taken without a backup. Only migrations whose
 * reversal loses nothing but what they added have one (indexes, added columns, the signing-keys
 * table); the others changed or moved data that a reversal could not put back, so going below
 * them means restoring the backup taken before the upgrade.
 *
 * @since 0.1.0
 */
import { Data, Effect } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import * as Deadlines from "./Deadlines.ts"
import { down as d0024 } from "./migrations/0024_membership_employment_type.ts"
import { down as d0025 } from "./migrations/0025_index_booking_lists.ts"
import { down as d0026 } from "./migrations/0026_index_booking_lengths.ts"
import { down as d0027 } from "./migrations/0027_create_signing_keys.ts"
import { down as d0028 } from "./migrations/0028_create_api_keys.ts"
import { down as d0029 } from "./migrations/0029_create_change_feed.ts"
import { down as d0030 } from "./migrations/0030_create_blackouts.ts"
import { down as d0031 } from "./migrations/0031_create_booking_series.ts"
import { down as d0032 } from "./migrations/0032_create_calendar_feeds.ts"
import { down as d0033 } from "./migrations/0033_notify_auth_changes.ts"
import { down as d0034 } from "./migrations/0034_index_other_lists.ts"
import { down as d0035 } from "./migrations/0035_create_unit_intake.ts"
import { down as d0037 } from "./migrations/0037_index_reports.ts"
import { down as d0038 } from "./migrations/0038_index_work_lists.ts"
import { down as d0039 } from "./migrations/0039_defer_booking_references.ts"
import { down as d0040 } from "./migrations/0040_index_unit_bookings.ts"
import { down as d0041 } from "./migrations/0041_index_resource_bookings.ts"

/**
 * The reversible migrations, by number; append with each new reversible migration.
 *
 * @since 0.1.0
 * @category migrations
 */
export const downs: Readonly<Record<number, Effect.Effect<void, SqlError.SqlError, SqlClient.SqlClient>>> = {
  24: d0024,
  25: d0025,
  26: d0026,
  27: d0027,
  28: d0028,
  29: d0029,
  30: d0030,
  31: d0031,
  32: d0032,
  33: d0033,
  34: d0034,
  35: d0035,
  37: d0037,
  38: d0038,
  39: d0039,
  40: d0040,
  41: d0041
}

/**
 * A migration between the current version and the target has no `down`.
 *
 * @since 0.1.0
 * @category errors
 */
export class Irreversible extends Data.TaggedError("Irreversible")<{ readonly name: string }> {
  override get message() {
    return `migration ${this.name} cannot be reverted (it has no down: reverting it would lose data it did not add); restore the backup taken before it instead`
  }
}

/**
 * Reverts, newest first and in one transaction, the applied migrations numbered above `to`; the
 * first without a `down` fails the whole run before anything changes. Answers the reverted names.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = (
  migrations: Readonly<Record<string, unknown>>,
  table: string,
  lockKey: number,
  to: number
): Effect.Effect<ReadonlyArray<string>, Irreversible, SqlClient.SqlClient> =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* sql.withTransaction(
      Effect.gen(function* () {
        yield* sql`SET LOCAL statement_timeout = 0`
        yield* sql`SELECT pg_advisory_xact_lock(${lockKey})`
        const applied = yield* sql<{ migration_id: number }>`
          SELECT migration_id FROM ${sql(table)} WHERE migration_id > ${to} ORDER BY migration_id DESC`
          .withoutTransform
        const names = applied.map(
          ({ migration_id }) =>
            Object.keys(migrations).find((name) => Number(name.slice(0, 4)) === migration_id) ??
            String(migration_id)
        )
        const missing = applied.findIndex(({ migration_id }) => downs[migration_id] === undefined)
        if (missing >= 0) return yield* new Irreversible({ name: names[missing]! })
        for (const { migration_id } of applied) {
          yield* downs[migration_id]!
          yield* sql`DELETE FROM ${sql(table)} WHERE migration_id = ${migration_id}`
        }
        return names
      })
    )
  }).pipe(
    Effect.catchTag("SqlError", (error) => Effect.die(error)),
    Effect.provideService(Deadlines.Unbounded, true),
    Effect.withSpan("Migrations.down")
  )
