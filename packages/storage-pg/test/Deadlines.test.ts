import { assert, describe, it } from "@effect/vitest"
import { Context, Deferred, Duration, Effect, Exit, Fiber, Layer, Redacted } from "effect"
import { SqlClient, SqlError } from "effect/sql"
import { Database, Deadlines, Migrations, SqlErrors } from "../src/index.ts"
import { PgliteClient } from "../src/pglite.ts"
import { FaultProxy, TestDatabase } from "../src/testing.ts"

// Far above every timeout configured here: an answer later than this is a hang, not contention.
const hangAfterMillis = 5_000

const clientOn = (url: string, timeouts: Partial<Deadlines.Timeouts>, maxConnections = 2) =>
  Effect.map(
    Layer.build(
      Database.layer({
        url: Redacted.make(url),
        maxConnections,
        timeouts: { ...Deadlines.defaults, ...timeouts }
      })
    ),
    (context) => Context.get(context, SqlClient.SqlClient)
  )

// Runs `effect` and reports how it failed and how long it took; a success fails the test.
const failure = <A, R>(effect: Effect.Effect<A, SqlError.SqlError, R>) =>
  Effect.gen(function* () {
    const started = Date.now()
    const exit = yield* Effect.exit(effect)
    const millis = Date.now() - started
    if (Exit.isSuccess(exit)) return assert.fail("expected the database to give up")
    const error = exit.cause.reasons.map((reason) => (reason._tag === "Fail" ? reason.error : undefined))[0]
    assert.isTrue(SqlError.isSqlError(error), String(exit.cause))
    return { error: error as SqlError.SqlError, millis }
  })

// Holds a transaction open on `sql` until the returned effect is run.
const holdTransaction = <A, E>(sql: SqlClient.SqlClient, first: Effect.Effect<A, E>) =>
  Effect.gen(function* () {
    const started = yield* Deferred.make<void>()
    const release = yield* Deferred.make<void>()
    const fiber = yield* Effect.forkChild(
      sql.withTransaction(
        Effect.andThen(first, Effect.andThen(Deferred.succeed(started, undefined), Deferred.await(release)))
      )
    )
    yield* Deferred.await(started)
    return Effect.andThen(Deferred.succeed(release, undefined), Fiber.await(fiber))
  })

const base = process.env.DATABASE_URL
if (base !== undefined) {
  describe("postgres", () => {
    it.live(
      "a statement past statement_timeout is ended by the server as unavailable, and its connection stays in use",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const { url } = yield* TestDatabase.freshPostgresDatabase(base)
            const sql = yield* clientOn(url, { statement: Duration.millis(300) }, 1)
            const [before] = yield* sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`
            const { error, millis } = yield* failure(sql`SELECT pg_sleep(3)`)
            assert.strictEqual(error.reason._tag, "StatementTimeoutError")
            assert.isTrue(SqlErrors.isUnavailable(error))
            assert.isBelow(millis, hangAfterMillis)
            const [after] = yield* sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`
            assert.strictEqual(after?.pid, before?.pid)
          })
        ),
      60_000
    )

    it.live(
      "a statement the network never answers is given up at its client deadline, and its connection is replaced",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const { url } = yield* TestDatabase.freshPostgresDatabase(base)
            const proxy = yield* FaultProxy.make(url)
            const sql = yield* clientOn(proxy.url, { statement: Duration.millis(300) }, 1)
            const [before] = yield* sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`
            yield* proxy.set(FaultProxy.blackhole)
            const { error, millis } = yield* failure(sql`SELECT 1`)
            assert.isTrue(SqlErrors.isUnavailable(error))
            assert.isBelow(millis, hangAfterMillis)
            yield* proxy.set(FaultProxy.pass)
            // The pool holds one connection: a new backend proves the silent one was not reused.
            const [after] = yield* sql<{ pid: number }>`SELECT pg_backend_pid() AS pid`
            assert.notStrictEqual(after?.pid, before?.pid)
          })
        ),
      60_000
    )

    it.live("waiting for a pooled connection ends at the acquire timeout, as unavailable", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { url } = yield* TestDatabase.freshPostgresDatabase(base)
          const sql = yield* clientOn(url, { acquire: Duration.millis(300) }, 1)
          const release = yield* holdTransaction(sql, sql`SELECT 1`)
          const { error, millis } = yield* failure(sql`SELECT 1`)
          assert.strictEqual(error.reason._tag, "ConnectionError")
          assert.isTrue(SqlErrors.isUnavailable(error))
          assert.isBelow(millis, hangAfterMillis)
          yield* release
          assert.deepStrictEqual(yield* sql`SELECT 1 AS one`, [{ one: 1 }])
        })
      )
    )

    it.live("a row lock held by another session ends the wait at lock_timeout, as unavailable", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { url } = yield* TestDatabase.freshPostgresDatabase(base)
          const holder = yield* clientOn(url, {}, 1)
          yield* holder`CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)`
          yield* holder`INSERT INTO counters VALUES (1, 0), (2, 0)`
          const sql = yield* clientOn(url, { lock: Duration.millis(300) })
          const release = yield* holdTransaction(
            holder,
            holder`SELECT n FROM counters WHERE id = 1 FOR UPDATE`
          )
          yield* sql`UPDATE counters SET n = n + 1 WHERE id = 2`
          const { error, millis } = yield* failure(sql`UPDATE counters SET n = n + 1 WHERE id = 1`)
          assert.strictEqual(error.reason._tag, "LockTimeoutError")
          assert.isTrue(SqlErrors.isUnavailable(error))
          assert.isBelow(millis, hangAfterMillis)
          yield* release
          yield* sql`UPDATE counters SET n = n + 1 WHERE id = 1`
        })
      )
    )

    it.live("a transaction left idle is ended by the server, and its locks released", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { url } = yield* TestDatabase.freshPostgresDatabase(base)
          const idle = yield* clientOn(url, { idleInTransaction: Duration.millis(300) }, 1)
          yield* idle`CREATE TABLE counters (id int PRIMARY KEY, n int NOT NULL)`
          yield* idle`INSERT INTO counters VALUES (1, 0)`
          const stalled = yield* holdTransaction(idle, idle`SELECT n FROM counters WHERE id = 1 FOR UPDATE`)
          // Waits past the idle timeout (the lock wait allows for it), then finds the row free.
          const sql = yield* clientOn(url, { lock: Duration.seconds(4), statement: Duration.seconds(4) })
          yield* sql`UPDATE counters SET n = n + 1 WHERE id = 1`
          const ended = yield* stalled
          assert.isTrue(Exit.isFailure(ended))
          assert.deepStrictEqual(yield* sql`SELECT n FROM counters`, [{ n: 1 }])
        })
      )
    )

    it.live("migrations wait for the server that migrates, whatever the request timeouts", () =>
      Effect.scoped(
        Effect.gen(function* () {
          const { url } = yield* TestDatabase.freshPostgresDatabase(base)
          const holder = yield* clientOn(url, {}, 1)
          const sql = yield* clientOn(url, { statement: Duration.millis(200), lock: Duration.millis(200) })
          // Another server migrating holds the lock longer than any of these timeouts.
          const release = yield* holdTransaction(
            holder,
            holder`SELECT pg_advisory_xact_lock(${Migrations.lockKey})`
          )
          const migrating = yield* Effect.forkChild(
            Migrations.run.pipe(Effect.provideService(SqlClient.SqlClient, sql))
          )
          yield* Effect.sleep("1500 millis")
          yield* release
          const applied = yield* Fiber.join(migrating)
          assert.isAbove(applied.length, 0)
        })
      )
    )
  })
}

describe("pglite", () => {
  it.live(
    "a statement that finds the embedded session busy past the acquire timeout fails as unavailable",
    () =>
      Effect.scoped(
        Effect.gen(function* () {
          const context = yield* Layer.build(PgliteClient.layer({ acquireTimeout: Duration.millis(300) }))
          const sql = Context.get(context, SqlClient.SqlClient)
          const release = yield* holdTransaction(sql, sql`SELECT 1`)
          const { error, millis } = yield* failure(sql`SELECT 1`)
          assert.isTrue(SqlErrors.isUnavailable(error))
          assert.isBelow(millis, hangAfterMillis)
          const inTransaction = yield* failure(sql.withTransaction(sql`SELECT 1`))
          assert.isTrue(SqlErrors.isUnavailable(inTransaction.error))
          yield* release
          assert.deepStrictEqual(yield* sql`SELECT 1 AS one`, [{ one: 1 }])
        })
      ),
    60_000
  )
})
