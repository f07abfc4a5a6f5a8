/**
 * Fresh databases for tests: always an in-memory PGlite, and a brand-new PostgreSQL database
 * (created, migrated, dropped afterwards) when `DATABASE_URL` is set.
 *
 * @since 0.1.0
 */
import { PgClient } from "@effect/sql-pg"
import { Effect, Layer, Redacted } from "effect"
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

const withDatabase = (base: string, database: string): string => {
  const url = new URL(base)
  url.pathname = `/${database}`
  return url.toString()
}

/**
 * Creates a uniquely named database on the server of `DATABASE_URL`, yields its URL, and drops
 * it (forcing out leftover connections) when the scope closes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const freshPostgresDatabase = (base: string) =>
  Effect.acquireRelease(
    Effect.gen(function* () {
      const name = `rota_test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
      yield* adminQuery(base, `CREATE DATABASE ${name}`)
      return { name, url: withDatabase(base, name) }
    }),
    ({ name }) => adminQuery(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).pipe(Effect.ignore)
  )

const adminQuery = (base: string, statement: string) =>
  Effect.scoped(
    Effect.gen(function* () {
      const sql = yield* PgClient.make({ url: Redacted.make(base), maxConnections: 1 })
      yield* sql.unsafe(statement)
    })
  ).pipe(Effect.provide(Reactivity.layer), Effect.orDie)

const migrated = <E>(layer: Layer.Layer<SqlClient.SqlClient | Database.DatabaseInfo, E>) =>
  Layer.provideMerge(Migrations.layer, layer).pipe(Layer.orDie)

/**
 * The stores this run tests against.
 *
 * @since 0.1.0
 * @category constructors
 */
export const stores = (): ReadonlyArray<TestStore> => {
  const pglite: TestStore = {
    name: "pglite",
    layer: migrated(
      Layer.merge(
        PgliteClient.layer({}),
        Layer.succeed(Database.DatabaseInfo, { kind: "pglite" as const, location: "memory" })
      )
    )
  }
  const base = adminUrl()
  if (base === undefined) return [pglite]
  const postgres: TestStore = {
    name: "postgres",
    layer: migrated(
      Layer.unwrap(
        Effect.map(freshPostgresDatabase(base), ({ url }) => Database.layer({ url: Redacted.make(url) }))
      )
    )
  }
  return [pglite, postgres]
}
