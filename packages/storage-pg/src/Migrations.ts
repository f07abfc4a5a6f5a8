/**
 * Schema migrations, one file per change under `migrations/`, applied at start-up; the ones that
 * can be undone without losing what they did not add also export a `down` (see `Reversals.ts`).
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
import m0018 from "./migrations/0018_create_notifications.ts"
import m0019 from "./migrations/0019_create_notification_reminders.ts"
import m0020 from "./migrations/0020_create_webhooks.ts"
import m0022 from "./migrations/0022_create_maintenance_plans.ts"
import m0023 from "./migrations/0023_ledger_leave_and_units.ts"
import m0024 from "./migrations/0024_membership_employment_type.ts"
import m0025 from "./migrations/0025_index_booking_lists.ts"
import m0026 from "./migrations/0026_index_booking_lengths.ts"
import m0027 from "./migrations/0027_create_signing_keys.ts"
import m0028 from "./migrations/0028_create_api_keys.ts"
import m0029 from "./migrations/0029_create_change_feed.ts"
import m0030 from "./migrations/0030_create_blackouts.ts"
import m0031 from "./migrations/0031_create_booking_series.ts"
import m0032 from "./migrations/0032_create_calendar_feeds.ts"
import m0033 from "./migrations/0033_notify_auth_changes.ts"
import m0034 from "./migrations/0034_index_other_lists.ts"
import m0035 from "./migrations/0035_create_unit_intake.ts"
import m0037 from "./migrations/0037_index_reports.ts"
import m0038 from "./migrations/0038_index_work_lists.ts"
import m0039 from "./migrations/0039_defer_booking_references.ts"
import m0040 from "./migrations/0040_index_unit_bookings.ts"
import m0041 from "./migrations/0041_index_resource_bookings.ts"
import * as Reversals from "./Reversals.ts"

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
  "0017_add_refresh_successor": m0017,
  "0018_create_notifications": m0018,
  "0019_create_notification_reminders": m0019,
  "0020_create_webhooks": m0020,
  "0022_create_maintenance_plans": m0022,
  "0023_ledger_leave_and_units": m0023,
  "0024_membership_employment_type": m0024,
  "0025_index_booking_lists": m0025,
  "0026_index_booking_lengths": m0026,
  "0027_create_signing_keys": m0027,
  "0028_create_api_keys": m0028,
  "0029_create_change_feed": m0029,
  "0030_create_blackouts": m0030,
  "0031_create_booking_series": m0031,
  "0032_create_calendar_feeds": m0032,
  "0033_notify_auth_changes": m0033,
  "0034_index_other_lists": m0034,
  "0035_create_unit_intake": m0035,
  "0037_index_reports": m0037,
  "0038_index_work_lists": m0038,
  "0039_defer_booking_references": m0039,
  "0040_index_unit_bookings": m0040,
  "0041_index_resource_bookings": m0041
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

/**
 * Reverts the applied migrations above `to`, newest first, in one transaction under the same
 * lock as {@link run}; fails, changing nothing, when one of them has no `down`.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = (to: number) => Reversals.down(migrations, table, lockKey, to)
