/**
 * An Effect `SqlClient` on PGlite, PostgreSQL compiled to wasm and run in-process, so Rota runs
 * with no database server. Repository code written against `SqlClient` runs unchanged here and
 * on `@effect/sql-pg`: the statement compiler is sql-pg's (dialect `pg`), failures carry the same
 * `SqlError` reasons with the raw server error as `cause`, parameters are typed the way sql-pg
 * types them, and rows decode to the same JavaScript values (`int8` as `bigint`, `numeric` and
 * `date` as strings, timestamps as `Date`, `interval` as `{ months, days, microseconds }`...).
 *
 * Remaining differences from `@effect/sql-pg` 4.0.5:
 * - Types sql-pg has no codec for (ranges such as `tstzrange`, multiranges, geometric types,
 *   composites, `money`) read here as PostgreSQL's text, while sql-pg fails to decode ranges
 *   ("Invalid UTF-8 in text value") or returns bytes. Select them as `during::text`,
 *   `lower(during)`..., which read the same on both.
 * - `regclass` reads as the relation's name here and as its oid number on sql-pg.
 * - `sql.json`, `listen` and `notify` exist only on `PgClient`; `PgTypes.jsonb(value)` is a
 *   parameter both accept. Other explicit `PgTypes` parameters work, except arrays of json.
 * - A `Date` parameter beyond year 9999 fails here (it is sent as ISO text).
 * - `statement.raw` returns PGlite's `Results`: `command`, `rowCount` and `rows` as on sql-pg,
 *   `fields` shaped differently, no `oid`.
 * - Reason messages say `PgliteClient: ...` where sql-pg's say `PgConnection: ...`.
 * - `SqlClient.driver` is `"pglite"`; sql-pg 4.0.5 leaves it unset.
 *
 * @since 0.1.0
 */
import { PgClient } from "@effect/sql-pg"
import { PGlite, type Results } from "@electric-sql/pglite"
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist"
import { Context, Duration, Effect, Layer, Predicate, Semaphore, Stream } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient, type SqlConnection, SqlError } from "effect/sql"
import * as AuthChanges from "./AuthChanges.ts"
import * as Deadlines from "./Deadlines.ts"
import { encodeParameters, parsers, serializers } from "./PgliteCodecs.ts"
import * as PgliteDataDir from "./PgliteDataDir.ts"

/**
 * The PGlite instance behind the client, for tests and tools that need it directly.
 *
 * @since 0.1.0
 * @category services
 */
export class PgliteClient extends Context.Service<PgliteClient, { readonly pglite: PGlite }>()(
  "@rota/storage-pg/PgliteClient"
) {}

/**
 * Opens PGlite in `dataDir` (in memory when unset; a new folder is first created in a child
 * process, see {@link PgliteDataDir.create}) with `btree_gist` created, provides it as
 * `SqlClient` (with its {@link AuthChanges.AuthChanges}), and closes it when the layer's scope closes. With `acquireTimeout`, a statement or
 * transaction that finds the session busy for that long fails with a `ConnectionError`. With
 * `loadDataDir` (a `dumpDataDir` of another instance), it starts as a copy of that instance's data.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: {
  readonly dataDir?: string | undefined
  readonly acquireTimeout?: Duration.Duration | undefined
  readonly loadDataDir?: Blob | undefined
}): Layer.Layer<PgliteClient | SqlClient.SqlClient | AuthChanges.AuthChanges, SqlError.SqlError> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const pglite = yield* Effect.acquireRelease(open(options.dataDir, options.loadDataDir), (pglite) =>
        Effect.ignore(
          Effect.tryPromise(() => pglite.close()),
          { log: true }
        )
      )
      yield* run(pglite, "CREATE EXTENSION IF NOT EXISTS btree_gist", [])
      const changes = yield* AuthChanges.makePglite(pglite)
      const sql = yield* makeClient(pglite, options.acquireTimeout)
      return Context.make(PgliteClient, { pglite }).pipe(
        Context.add(SqlClient.SqlClient, sql),
        Context.add(AuthChanges.AuthChanges, changes)
      )
    })
  ).pipe(Layer.provide(Reactivity.layer))

/**
 * PGlite's own start parameters (single-user mode, `fsync` off, no parallel workers...) with a
 * smaller buffer pool. PostgreSQL's default 128 MB of shared buffers lives in PGlite's
 * WebAssembly memory, which PGlite touches in full at start and which never shrinks: 151 MB of the
 * 500-530 MB the server idled at. A page outside the pool is read from the data
 * folder's files, which the operating system caches outside the process; a booking workload ran
 * no slower at 8 MB than at 128 MB.
 */
const startParams = [...PGlite.defaultStartParams, "-c", "shared_buffers=8MB"]

const open = (
  dataDir: string | undefined,
  loadDataDir: Blob | undefined
): Effect.Effect<PGlite, SqlError.SqlError> =>
  Effect.andThen(
    // A new data folder is created apart (see PgliteDataDir); one in memory has nothing to leave.
    Effect.suspend(() =>
      dataDir === undefined || loadDataDir !== undefined || PgliteDataDir.exists(dataDir)
        ? Effect.void
        : Effect.mapError(PgliteDataDir.create(dataDir, startParams), openFailed)
    ),
    Effect.tryPromise({
      try: () =>
        PGlite.create({
          ...(dataDir === undefined ? {} : { dataDir }),
          ...(loadDataDir === undefined ? {} : { loadDataDir }),
          extensions: { btree_gist },
          parsers,
          serializers,
          startParams
        }),
      catch: openFailed
    })
  )

const openFailed = (cause: unknown): SqlError.SqlError =>
  new SqlError.SqlError({
    reason: new SqlError.ConnectionError({
      cause,
      message: "PgliteClient: Failed to open the database",
      operation: "connect"
    })
  })

const makeClient = Effect.fnUntraced(function* (
  pglite: PGlite,
  acquireTimeout: Duration.Duration | undefined
) {
  // PGlite is a single session: a statement, a reserved connection or a whole transaction (BEGIN
  // to COMMIT/ROLLBACK) holds the only permit, so no other fiber's statement lands in between.
  const semaphore = yield* Semaphore.make(1)
  const connection = makeConnection(pglite)
  // PGlite enforces no statement_timeout (it has no timer to interrupt itself with) and cannot
  // cancel a running statement, so the wait for the session is the one bound it can keep.
  // The permit is released by the lease's scope, which the semaphore ties to the take itself, so
  // a take that wins its race against the timeout cannot be lost.
  const take =
    acquireTimeout === undefined || !Deadlines.isOn(acquireTimeout)
      ? semaphore.takeScoped(1)
      : Effect.timeoutOrElse(semaphore.takeScoped(1), {
          duration: acquireTimeout,
          orElse: () => Effect.fail(busy(acquireTimeout))
        })
  // An interrupted statement still runs to its end inside PGlite, ahead of anything queued after
  // it there, so a permit released early cannot mix two sessions' statements either.
  const lease = Effect.as(take, connection)
  return yield* SqlClient.make({
    acquirer: lease,
    borrower: (f) => Effect.scoped(Effect.andThen(take, f(connection))),
    transactionAcquirer: lease,
    compiler: PgClient.makeCompiler(),
    driver: "pglite",
    commit: () => commit(pglite),
    releaseSavepoint: (name) => `RELEASE SAVEPOINT ${name}`,
    spanAttributes: [
      ["db.system.name", "postgresql"],
      ["db.namespace", "postgres"]
    ]
  })
})

type Row = Record<string, unknown>

const makeConnection = (pglite: PGlite): SqlConnection.Connection => {
  const rows = (sql: string, params: ReadonlyArray<unknown>) =>
    Effect.map(run(pglite, sql, params), (result) => result.rows)
  const values = (sql: string, params: ReadonlyArray<unknown>) =>
    Effect.map(run<ReadonlyArray<unknown>>(pglite, sql, params, "array"), (result) => result.rows)
  const execute = (
    sql: string,
    params: ReadonlyArray<unknown>,
    transformRows: (<A extends object>(rows: ReadonlyArray<A>) => ReadonlyArray<A>) | undefined
  ) => (transformRows === undefined ? rows(sql, params) : Effect.map(rows(sql, params), transformRows))
  return {
    execute,
    // PGlite always runs the unnamed statement, so prepared and unprepared are the same.
    executeUnprepared: execute,
    executeRaw: (sql, params) => run(pglite, sql, params),
    executeValues: values,
    executeValuesUnprepared: values,
    executeStream: (sql, params, transformRows) =>
      Stream.fromIterableEffect(execute(sql, params, transformRows))
  }
}

const run = <A = Row>(
  pglite: PGlite,
  sql: string,
  params: ReadonlyArray<unknown>,
  rowMode: "object" | "array" = "object"
): Effect.Effect<Results<A>, SqlError.SqlError> =>
  Effect.flatMap(encodeParameters(params), ({ types, values }) =>
    Effect.tryPromise({
      try: () => pglite.query<A>(sql, values, { rowMode, paramTypes: types }),
      catch: (cause) => queryError(pglite, cause)
    })
  )

/** PostgreSQL answers `COMMIT` with `ROLLBACK` when the transaction was aborted; sql-pg fails then. */
const commit = (pglite: PGlite): Effect.Effect<void, SqlError.SqlError> =>
  Effect.flatMap(run(pglite, "COMMIT", []), (result) =>
    result.command === "ROLLBACK"
      ? Effect.fail(
          new SqlError.SqlError({
            reason: new SqlError.UnknownError({
              cause: new Error("COMMIT rolled back an aborted transaction"),
              message: "PgliteClient: COMMIT rolled back an aborted transaction",
              operation: "commit"
            })
          })
        )
      : Effect.void
  )

// --- errors ---------------------------------------------------------------------------------

const busy = (timeout: Duration.Duration): SqlError.SqlError =>
  new SqlError.SqlError({
    reason: new SqlError.ConnectionError({
      cause: new Error(`The session stayed busy for ${Duration.format(timeout)}`),
      message: "PgliteClient: timed out waiting for the session",
      operation: "acquire"
    })
  })

const queryError = (pglite: PGlite, cause: unknown): SqlError.SqlError => {
  const props = { cause, message: "PgliteClient: Query failed", operation: "query" }
  if (pglite.closed) return new SqlError.SqlError({ reason: new SqlError.ConnectionError(props) })
  const code = Predicate.hasProperty(cause, "code") && typeof cause.code === "string" ? cause.code : undefined
  const constraint = Predicate.hasProperty(cause, "constraint") ? cause.constraint : undefined
  return new SqlError.SqlError({ reason: classifySqlState(code, constraint, props) })
}

const normalizeConstraint = (constraint: unknown): string => {
  if (typeof constraint !== "string") return "unknown"
  const normalized = constraint.trim()
  return normalized.length === 0 ? "unknown" : normalized
}

/** A copy of `@effect/sql-pg`'s (internal) SQLSTATE classification, so reasons match exactly. */
const classifySqlState = (
  code: string | undefined,
  constraint: unknown,
  props: { readonly cause: unknown; readonly message: string; readonly operation: string }
): SqlError.SqlErrorReason => {
  if (code !== undefined) {
    if (code.startsWith("08")) return new SqlError.ConnectionError(props)
    if (code.startsWith("28")) return new SqlError.AuthenticationError(props)
    if (code === "42501") return new SqlError.AuthorizationError(props)
    if (code.startsWith("42")) return new SqlError.SqlSyntaxError(props)
    if (code === "23505") {
      return new SqlError.UniqueViolation({ ...props, constraint: normalizeConstraint(constraint) })
    }
    if (code.startsWith("23")) return new SqlError.ConstraintError(props)
    if (code === "40P01") return new SqlError.DeadlockError(props)
    if (code === "40001") return new SqlError.SerializationError(props)
    if (code === "55P03") return new SqlError.LockTimeoutError(props)
    if (code === "57014") return new SqlError.StatementTimeoutError(props)
  }
  return new SqlError.UnknownError(props)
}
