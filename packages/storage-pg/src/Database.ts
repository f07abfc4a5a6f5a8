/**
 * Chooses the store: PostgreSQL when a URL is given, otherwise the embedded PGlite in a data
 * folder (or in memory). Both provide the same `SqlClient`, so everything above is unaware.
 *
 * @since 0.1.0
 */
import { mkdirSync } from "node:fs"
import { PgClient } from "@effect/sql-pg"
import { Context, Duration, Effect, Layer, type Redacted } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient, type SqlError } from "effect/sql"
import * as AuthChanges from "./AuthChanges.ts"
import * as Deadlines from "./Deadlines.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface DatabaseOptions {
  /** A PostgreSQL URL; unset selects the embedded store. */
  readonly url?: Redacted.Redacted | undefined
  /** Where the embedded store keeps its files; unset keeps it in memory. */
  readonly dataDir?: string | undefined
  /** Pool size for PostgreSQL. */
  readonly maxConnections?: number | undefined
  /** How long the database may keep a request waiting; {@link Deadlines.defaults} when unset. */
  readonly timeouts?: Deadlines.Timeouts | undefined
}

/**
 * Which store is in use, for logs and the start-up banner.
 *
 * @since 0.1.0
 * @category services
 */
export class DatabaseInfo extends Context.Service<
  DatabaseInfo,
  { readonly kind: "postgres" | "pglite"; readonly location: string }
>()("@rota/storage-pg/DatabaseInfo") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = (
  options: DatabaseOptions
): Layer.Layer<SqlClient.SqlClient | DatabaseInfo | AuthChanges.AuthChanges, SqlError.SqlError> => {
  const timeouts = options.timeouts ?? Deadlines.defaults
  return options.url === undefined
    ? Layer.merge(
        // The embedded store's folder is created on first use, parents included.
        // Imported here, not at the top: a server on PostgreSQL never loads the embedded store.
        Layer.unwrap(
          Effect.map(
            Effect.promise(() => import("./PgliteClient.ts")),
            (PgliteClient) => {
              if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true })
              return PgliteClient.layer({ dataDir: options.dataDir, acquireTimeout: timeouts.acquire })
            }
          )
        ),
        Layer.succeed(DatabaseInfo, { kind: "pglite", location: options.dataDir ?? "memory" })
      )
    : Layer.mergeAll(
        postgres(options.url, options.maxConnections ?? 16, timeouts),
        AuthChanges.layerPostgres(options.url),
        Layer.succeed(DatabaseInfo, { kind: "postgres", location: "DATABASE_URL" })
      )
}

/**
 * The planner settings every connection starts with, besides its deadlines.
 *
 * JIT off: PostgreSQL compiles a plan whose estimated cost passes `jit_above_cost` (100,000 by
 * default) on every execution, a prepared statement's included, and Rota's statements are short
 * reads and writes of an org whose estimates can pass it where the rows read do not. On the bench
 * database a `/v1/waitlist/mine` page that ran in 33 ms spent 153 ms more compiling 327
 * functions, on each call.
 *
 * @since 0.1.0
 * @category constructors
 */
export const sessionSettings: Readonly<Record<string, string>> = { jit: "off" }

const postgres = (url: Redacted.Redacted, maxConnections: number, timeouts: Deadlines.Timeouts) =>
  Layer.effect(
    SqlClient.SqlClient,
    Effect.gen(function* () {
      const pool = yield* PgClient.make({
        url,
        maxConnections,
        connectTimeout: Deadlines.isOn(timeouts.connect) ? timeouts.connect : Duration.infinity,
        startupParameters: { ...Deadlines.startupParameters(timeouts), ...sessionSettings },
        applicationName: "rota"
      })
      return yield* Deadlines.bound(pool, {
        timeouts,
        compiler: PgClient.makeCompiler(),
        spanAttributes: [
          ["db.system.name", "postgresql"],
          ["db.namespace", pool.config.database ?? "postgres"]
        ]
      })
    })
  ).pipe(Layer.provide(Reactivity.layer))

/**
 * True when the database answers a trivial query within `timeout`; readiness probes use it.
 *
 * @since 0.1.0
 * @category health
 */
export const ping = (timeout: Duration.Input): Effect.Effect<boolean, never, SqlClient.SqlClient> =>
  Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) => sql`SELECT 1`).pipe(
    Effect.timeout(timeout),
    Effect.as(true),
    Effect.catchCause(() => Effect.succeed(false))
  )
