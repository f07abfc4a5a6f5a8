/**
 * Fresh databases for tests: always an in-memory PGlite, and a brand-new PostgreSQL database
 * (created, migrated, dropped afterwards) when `DATABASE_URL` is set.
 *
 * Migrating takes most of the time a new database costs (on a 2-core machine, seconds per
 * database, and the suites make over a hundred), so a test run migrates once: {@link prepare},
 * the run's global setup, migrates one PGlite instance and one PostgreSQL database, and every
 * store of {@link stores} then starts as a copy of them, still a database of its own. Without
 * that setup (a test file run by another runner), each store is migrated from scratch as before.
 *
 * @since 0.1.0
 */
import { readFileSync } from "node:fs"
import { mkdtemp, rm, writeFile } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { PgClient } from "@effect/sql-pg"
import { Context, Effect, Layer, Redacted, type Scope } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import type { SqlClient } from "effect/sql"
import * as Database from "../Database.ts"
import * as Migrations from "../Migrations.ts"
import * as PgliteClient from "../PgliteClient.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface TestStore {
  readonly name: "pglite" | "postgres"
  /** A migrated, empty database of its own. */
  readonly layer: Layer.Layer<SqlClient.SqlClient | Database.DatabaseInfo>
}

const adminUrl = (): string | undefined => process.env.DATABASE_URL || undefined

// How {@link prepare} tells the test files of its run (other processes) where the copies come from.
const snapshotVariable = "ROTA_TEST_PGLITE_SNAPSHOT"
const templateVariable = "ROTA_TEST_PG_TEMPLATE"

const withDatabase = (base: string, database: string): string => {
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

const uniqueName = (prefix: string) =>
  `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`

/**
 * Creates a uniquely named database on the server of `DATABASE_URL`, yields its URL, and drops
 * it (forcing out leftover connections) when the scope closes. Empty, unless `template` names a
 * database to copy.
 *
 * @since 0.1.0
 * @category constructors
 */
export const freshPostgresDatabase = (base: string, template?: string) =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const name = uniqueName("rota_test")
      yield* adminQuery(
        base,
        `CREATE DATABASE ${name}${template === undefined ? "" : ` TEMPLATE ${template}`}`
      )
      return { name, url: withDatabase(base, name) }
    }),
    ({ name }) => adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).pipe(Effect.ignore)
  )

/**
 * Like {@link freshPostgresDatabase}, but migrated: a copy of this run's migrated template when
 * {@link prepare} made one, else migrated here.
 *
 * @since 0.1.0
 * @category constructors
 */
export const migratedPostgresDatabase = (base: string) => {
  const template = process.env[templateVariable] || undefined
  if (template !== undefined) return freshPostgresDatabase(base, template)
  return Effect.tap(freshPostgresDatabase(base), ({ url }) =>
    Effect.scoped(
      Layer.build(Layer.provide(Migrations.layer, Database.layer({ url: Redacted.make(url) })))
    ).pipe(Effect.orDie)
  )
}

const adminQuery = (base: string, statement: string) =>
  Effect.scoped(
    Effect.gen(function* () {
      const sql = yield* PgClient.make({ url: Redacted.make(base), maxConnections: 1 })
      yield* sql.unsafe(statement)
    })
  ).pipe(Effect.provide(Reactivity.layer), Effect.orDie)

const migrated = <E>(layer: Layer.Layer<SqlClient.SqlClient | Database.DatabaseInfo, E>) =>
  Layer.provideMerge(Migrations.layer, layer).pipe(Layer.orDie)

const pgliteInfo = Layer.succeed(Database.DatabaseInfo, { kind: "pglite" as const, location: "memory" })

// The dump is read when the store is built, not when it is listed: files often list both stores
// and build one.
const pgliteCopy = Layer.unwrap(
  Effect.sync(() => {
    const snapshot = process.env[snapshotVariable] || undefined
    return PgliteClient.layer(
      snapshot === undefined ? {} : { loadDataDir: new Blob([readFileSync(snapshot)]) }
    )
  })
)

/**
 * The stores this run tests against. Each is migrated, by copying this run's migrated originals
 * when {@link prepare} made them; `fromScratch` runs every migration on each instead, for the
 * tests of the migrations themselves.
 *
 * @since 0.1.0
 * @category constructors
 */
export const stores = (options: { readonly fromScratch?: boolean } = {}): ReadonlyArray<TestStore> => {
  const copy = options.fromScratch !== true
  const pglite: TestStore = {
    name: "pglite",
    layer: migrated(Layer.merge(copy ? pgliteCopy : PgliteClient.layer({}), pgliteInfo))
  }
  const base = adminUrl()
  if (base === undefined) return [pglite]
  const database = copy ? migratedPostgresDatabase(base) : freshPostgresDatabase(base)
  const postgres: TestStore = {
    name: "postgres",
    layer: migrated(
      Layer.unwrap(Effect.map(database, ({ url }) => Database.layer({ url: Redacted.make(url) })))
    )
  }
  return [pglite, postgres]
}

/**
 * Migrates this run's originals, once: a PGlite instance, dumped to a file, and (with
 * `DATABASE_URL`) a PostgreSQL template database, closed to connections so it can be copied.
 * Points this process's environment at them, which the test files inherit, and removes both
 * when the scope closes. Each run makes its own, so a changed migration is always applied and
 * concurrent runs on one server do not share one.
 *
 * @since 0.1.0
 * @category constructors
 */
export const prepare: Effect.Effect<void, never, Scope.Scope> = Effect.gen(function* () {
  const folder = yield* Effect.acquireRelease(
    Effect.promise(() => mkdtemp(join(tmpdir(), "rota-test-snapshot-"))),
    (folder) => Effect.promise(() => rm(folder, { recursive: true, force: true }))
  )
  // One after the other: PGlite runs on this thread, and while it migrates no answer from
  // PostgreSQL is read, so a PostgreSQL transaction open meanwhile would pass its idle timeout.
  const dump = yield* migratedPgliteDump
  const base = adminUrl()
  const template = base === undefined ? undefined : yield* migratedTemplate(base)
  const snapshot = join(folder, "pglite-migrated.tar")
  yield* Effect.promise(async () => writeFile(snapshot, new Uint8Array(await dump.arrayBuffer())))
  process.env[snapshotVariable] = snapshot
  if (template !== undefined) process.env[templateVariable] = template
})

const migratedPgliteDump = Effect.scoped(
  Effect.gen(function* () {
    const context = yield* Layer.build(Layer.provideMerge(Migrations.layer, PgliteClient.layer({})))
    const { pglite } = Context.get(context, PgliteClient.PgliteClient)
    return yield* Effect.promise(() => pglite.dumpDataDir("none"))
  })
).pipe(Effect.orDie)

const migratedTemplate = Effect.fnUntraced(function* (base: string) {
  const { name, url } = yield* freshPostgresDatabase(base)
  yield* Effect.scoped(
    Layer.build(Layer.provide(Migrations.layer, Database.layer({ url: Redacted.make(url) })))
  ).pipe(Effect.orDie)
  // A copy needs its original to have no sessions at all.
  yield* adminQuery(base, `ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
  yield* adminQuery(
    base,
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}' AND pid <> pg_backend_pid()`
  )
  return name
})
