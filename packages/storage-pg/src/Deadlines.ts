/**
 * How long the database may keep a request waiting. Without these bounds a pool held by slow work,
 * a row lock held by another session or a network that drops packets makes requests wait for as
 * long as the outage lasts; with them, each wait ends in a `SqlError` the server answers as 503.
 *
 * Two layers of bounds, because each covers what the other cannot:
 * - PostgreSQL's own `statement_timeout`, `lock_timeout` and `idle_in_transaction_session_timeout`,
 *   sent in every connection's startup packet. The server ends the statement and the connection
 *   stays usable.
 * - Deadlines kept by the client: waiting for a pooled connection, and waiting for any answer at
 *   all. A server behind a dropped network never sends its timeout error, so only the client can
 *   notice; the connection is then closed, never handed to the next request.
 *
 * @since 0.1.0
 */
import { Context, Duration, Effect, type Fiber, Metric, Predicate } from "effect"
import { SqlClient, type SqlConnection, SqlError } from "effect/sql"
import type * as Statement from "effect/sql/Statement"

/**
 * Each bound; a zero duration turns it off.
 *
 * @since 0.1.0
 * @category models
 */
export interface Timeouts {
  /** Opening a connection: TCP, TLS and authentication. */
  readonly connect: Duration.Duration
  /** Waiting for a free connection from the pool. */
  readonly acquire: Duration.Duration
  /** One statement, on the server (`statement_timeout`); the client waits a second longer. */
  readonly statement: Duration.Duration
  /** Waiting for a lock held by another transaction (`lock_timeout`). */
  readonly lock: Duration.Duration
  /** A transaction left open with nothing running (`idle_in_transaction_session_timeout`). */
  readonly idleInTransaction: Duration.Duration
}

/**
 * Short enough that a client gets its 503 before it gives up itself, long enough for the
 * slowest statement Rota runs on a loaded server.
 *
 * @since 0.1.0
 * @category constructors
 */
export const defaults: Timeouts = {
  connect: Duration.seconds(2),
  acquire: Duration.seconds(2),
  statement: Duration.seconds(5),
  lock: Duration.seconds(3),
  idleInTransaction: Duration.seconds(10)
}

// The server reports its own statement timeout; the client deadline only fires when that report
// cannot arrive, so it waits this much longer.
const clientMargin = Duration.seconds(1)

const millis = (duration: Duration.Duration): string => String(Math.ceil(Duration.toMillis(duration)))

/**
 * The session settings every connection starts with.
 *
 * @since 0.1.0
 * @category constructors
 */
export const startupParameters = (timeouts: Timeouts): Readonly<Record<string, string>> => ({
  statement_timeout: millis(timeouts.statement),
  lock_timeout: millis(timeouts.lock),
  idle_in_transaction_session_timeout: millis(timeouts.idleInTransaction)
})

/**
 * Lifts the client-side statement deadline for the effect it is provided to, for work that is
 * meant to run long (migrations); such work lifts the server's timeouts with `SET LOCAL` too.
 *
 * @since 0.1.0
 * @category references
 */
export const Unbounded = Context.Reference<boolean>("@rota/storage-pg/Deadlines/Unbounded", {
  defaultValue: () => false
})

/**
 * True unless `duration` turns its bound off (zero, or infinite).
 *
 * @since 0.1.0
 * @category predicates
 */
export const isOn = (duration: Duration.Duration): boolean =>
  !Duration.isZero(duration) && Duration.isFinite(duration)

const acquireTimedOut = (timeout: Duration.Duration) =>
  new SqlError.SqlError({
    reason: new SqlError.ConnectionError({
      cause: new Error(`No database connection free within ${Duration.format(timeout)}`),
      message: "Deadlines: timed out waiting for a database connection",
      operation: "acquire"
    })
  })

const answerTimedOut = (deadline: Duration.Duration) =>
  new SqlError.SqlError({
    reason: new SqlError.StatementTimeoutError({
      cause: new Error(`No answer from the database within ${Duration.format(deadline)}`),
      message: "Deadlines: the database did not answer in time",
      operation: "query"
    })
  })

const abandoned = new SqlError.SqlError({
  reason: new SqlError.ConnectionError({
    cause: new Error("A statement on this connection was abandoned"),
    message: "Deadlines: connection abandoned after a statement was given up",
    operation: "query"
  })
})

/**
 * A leased connection whose statements end by `deadline`. A statement given up (past its
 * deadline, or interrupted) keeps running in the background until its cancellation completes,
 * and the connection refuses any further statement, ROLLBACK included: releasing the lease with
 * a statement still outstanding makes the pool close the connection and open a fresh one.
 */
const boundedConnection = (
  inner: SqlConnection.Connection,
  deadline: Duration.Duration
): SqlConnection.Connection => {
  const millis = Duration.toMillis(deadline)
  let given: SqlError.SqlError | undefined
  // Waiting for an interrupted statement would mean waiting for a dead network to confirm its
  // cancellation; the statement is let go instead, its interruption running on its own.
  const letGo = (fiber: Fiber.Fiber<unknown, unknown>) => {
    given = abandoned
    fiber.interruptUnsafe()
  }
  const bounded = <A>(run: Effect.Effect<A, SqlError.SqlError>): Effect.Effect<A, SqlError.SqlError> =>
    // Read from the running fiber, not through a service lookup: this runs for every statement.
    Effect.withFiber((current) => {
      if (given !== undefined) return Effect.fail(given)
      return current.getRef(Unbounded)
        ? run
        : Effect.flatMap(Effect.forkDetach(run, { startImmediately: true }), (fiber) =>
            // A timer and an observer rather than a race: one fiber per statement, not three.
            Effect.callback<A, SqlError.SqlError>((resume) => {
              const timer = setTimeout(() => {
                stopObserving()
                letGo(fiber)
                resume(Effect.fail(answerTimedOut(deadline)))
              }, millis)
              const stopObserving = fiber.addObserver((exit) => {
                clearTimeout(timer)
                resume(exit)
              })
              return Effect.sync(() => {
                clearTimeout(timer)
                stopObserving()
                letGo(fiber)
              })
            })
          )
    })
  return {
    execute: (sql, params, transformRows) => bounded(inner.execute(sql, params, transformRows)),
    executeRaw: (sql, params) => bounded(inner.executeRaw(sql, params)),
    // Rota reads no streams; one would hold its connection as long as its consumer pulls.
    executeStream: inner.executeStream,
    executeValues: (sql, params) => bounded(inner.executeValues(sql, params)),
    executeValuesUnprepared: (sql, params) => bounded(inner.executeValuesUnprepared(sql, params)),
    executeUnprepared: (sql, params, transformRows) =>
      bounded(inner.executeUnprepared(sql, params, transformRows))
  }
}

/** PostgreSQL answers `COMMIT` with `ROLLBACK` when the transaction was aborted. */
const commit = (connection: SqlConnection.Connection): Effect.Effect<void, SqlError.SqlError> =>
  Effect.flatMap(connection.executeRaw("COMMIT", []), (result) =>
    Predicate.hasProperty(result, "command") && result.command === "ROLLBACK"
      ? Effect.fail(
          new SqlError.SqlError({
            reason: new SqlError.UnknownError({
              cause: new Error("COMMIT rolled back an aborted transaction"),
              message: "Deadlines: COMMIT rolled back an aborted transaction",
              operation: "commit"
            })
          })
        )
      : Effect.void
  )

const inUse = Metric.gauge("rota_db_connections_in_use", {
  description: "PostgreSQL connections leased from the pool right now"
})
const acquireSeconds = Metric.histogram("rota_db_acquire_duration_seconds", {
  description: "Time a statement or transaction waited for a pooled connection",
  boundaries: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
})
const acquireTimeouts = Metric.counter("rota_db_acquire_timeouts_total", {
  description: "Waits for a pooled connection that gave up (answered 503)"
})
let leasedNow = 0

// Counts each lease while it is held, so /metrics shows how close the pool is to exhaustion.
const measured = <E, R>(lease: Effect.Effect<SqlConnection.Connection, E, R>) =>
  Effect.suspend(() => {
    const started = performance.now()
    return Effect.tap(lease, () =>
      Effect.andThen(
        Effect.all(
          [
            Metric.update(acquireSeconds, (performance.now() - started) / 1000),
            Metric.update(inUse, ++leasedNow)
          ],
          {
            discard: true
          }
        ),
        Effect.addFinalizer(() => Metric.update(inUse, --leasedNow))
      )
    )
  })

/**
 * A PostgreSQL client over `inner` whose connection leases wait at most `timeouts.acquire` and
 * whose statements wait at most `timeouts.statement` plus a second. Every statement leases its
 * connection exclusively, as `inner` does when it does not multiplex.
 *
 * @since 0.1.0
 * @category constructors
 */
export const bound = (
  inner: SqlClient.SqlClient,
  options: {
    readonly timeouts: Timeouts
    readonly compiler: Statement.Compiler
    readonly spanAttributes: ReadonlyArray<readonly [string, unknown]>
  }
) => {
  const { acquire, statement } = options.timeouts
  const leased = measured(
    !isOn(acquire)
      ? inner.reserve
      : Effect.timeoutOrElse(inner.reserve, {
          duration: acquire,
          orElse: () =>
            Effect.andThen(Metric.update(acquireTimeouts, 1), Effect.fail(acquireTimedOut(acquire)))
        })
  )
  const acquirer = !isOn(statement)
    ? leased
    : Effect.map(leased, (connection) => boundedConnection(connection, Duration.sum(statement, clientMargin)))
  return SqlClient.make({
    acquirer,
    transactionAcquirer: acquirer,
    compiler: options.compiler,
    driver: inner.driver,
    prepareTransactionControls: true,
    commit,
    releaseSavepoint: (name) => `RELEASE SAVEPOINT ${name}`,
    spanAttributes: options.spanAttributes
  })
}
