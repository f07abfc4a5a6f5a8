/**
 * Forward-only schema migrations, one file per change under `migrations/`, applied at start-up.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import * as Migrator from "effect/sql/Migrator"
import * as Deadlines from "./Deadlines.ts"
import m0001 from "./migrations/0001_enable_extensions.ts"
import m0002 from "./migrations/0002_create_audit_log.ts"
import m0003 from "./migrations/0003_create_outbox.ts"
import m0004 from "./migrations/0004_create_idempotency_keys.ts"
import m0005 from "./migrations/0005_create_job_runs.ts"
import m0006 from "./migrations/0006_create_identity.ts"
import m0007 from "./migrations/0007_create_inventory.ts"
import m0008 from "./migrations/0008_create_allocations.ts"
import m0009 from "./migrations/0009_create_bookings.ts"
import m0010 from "./migrations/0010_create_interventions.ts"
import m0011 from "./migrations/0011_create_crews.ts"
import m0012 from "./migrations/0012_create_waitlist.ts"
import m0013 from "./migrations/0013_store_waitlist_standings.ts"
import m0014 from "./migrations/0014_store_entry_points.ts"
import m0015 from "./migrations/0015_store_invitation_profiles.ts"
import m0016 from "./migrations/0016_scrub_outbox_secrets.ts"
import m0017 from "./migrations/0017_add_refresh_successor.ts"

/**
 * Every migration, keyed `<number>_<name>`; append, never edit a shipped one.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations = {
  "0001_enable_extensions": m0001,
  "0002_create_audit_log": m0002,
  "0003_create_outbox": m0003,
  "0004_create_idempotency_keys": m0004,
  "0005_create_job_runs": m0005,
  "0006_create_identity": m0006,
  "0007_create_inventory": m0007,
  "0008_create_allocations": m0008,
  "0009_create_bookings": m0009,
  "0010_create_interventions": m0010,
  "0011_create_crews": m0011,
  "0012_create_waitlist": m0012,
  "0013_store_waitlist_standings": m0013,
  "0014_store_entry_points": m0014,
  "0015_store_invitation_profiles": m0015,
  "0016_scrub_outbox_secrets": m0016,
  "0017_add_refresh_successor": m0017
}

/**
 * The table recording applied migrations.
 *
 * @since 0.1.0
 * @category migrations
 */
export const table = "rota_migrations"

/**
 * The advisory lock key a server holds while it migrates: an arbitrary constant shared by every
 * Rota server.
 *
 * @since 0.1.0
 * @category migrations
 */
export const lockKey = 727_001

/**
 * Applies pending migrations. Servers starting together take a transaction-scoped advisory lock
 * first, so exactly one applies them and the others wait, then find nothing to do. Request
 * timeouts do not apply: building an index or waiting for the server that migrates may take long.
 *
 * @since 0.1.0
 * @category migrations
 */
export const run: Effect.Effect<
  ReadonlyArray<readonly [id: number, name: string]>,
  never,
  SqlClient.SqlClient
> = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  return yield* sql.withTransaction(
    Effect.gen(function* () {
      yield* sql`SET LOCAL statement_timeout = 0`
      yield* sql`SET LOCAL lock_timeout = 0`
      yield* sql`SELECT pg_advisory_xact_lock(${lockKey})`
      return yield* Migrator.make({})({ loader: Migrator.fromRecord(migrations), table })
    })
  )
}).pipe(Effect.provideService(Deadlines.Unbounded, true), Effect.orDie, Effect.withSpan("Migrations.run"))

/**
 * Runs {@link run} when the layer is built; provide it before anything that reads tables.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<never, never, SqlClient.SqlClient> = Layer.effectDiscard(run)
