/**
 * The `Transactor` port on `SqlClient.withTransaction`: one database transaction per unit of
 * work, savepoints for nested ones. The same code serves PostgreSQL and PGlite.
 *
 * @since 0.1.0
 */
import { Transactor } from "@rota/core"
import { Cause, Effect, Layer, Option, Schedule } from "effect"
import { SqlClient, SqlError } from "effect/sql"
import * as PendingWrites from "./PendingWrites.ts"

// A deadlock or serialization failure aborts the whole transaction, through no fault of the
// work: PostgreSQL picked it as the victim. Run again, it succeeds or fails on its own merits.
const isRetryable = (defect: unknown): boolean =>
  SqlError.isSqlError(defect) &&
  (defect.reason._tag === "DeadlockError" || defect.reason._tag === "SerializationError")

const backoff = Schedule.exponential("5 millis").pipe(Schedule.jittered)

/**
 * BEGIN/COMMIT failures are infrastructure faults, so they surface as defects (rendered as 503
 * or 500 at the edge); the work's own typed errors pass through untouched. An outermost
 * transaction that PostgreSQL aborts as a deadlock victim is run again, up to five times. Nested
 * transactions join the outer one; `savepoint` is the one that takes a savepoint. The audit
 * events, outbox messages and idempotency answers a transaction writes are sent together just
 * before its `COMMIT` (see `PendingWrites`).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Transactor.Transactor, never, SqlClient.SqlClient> = Layer.effect(
  Transactor.Transactor,
  Effect.map(Effect.service(SqlClient.SqlClient), (sql) => {
    // The casts only remove SqlError from the error type, which catchIf just turned into a defect.
    const once = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      PendingWrites.inTransaction(sql, effect).pipe(
        Effect.catchIf(SqlError.isSqlError, Effect.die)
      ) as Effect.Effect<A, E, R>

    const nested = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      sql
        .withTransaction(PendingWrites.droppingOnFailure(effect))
        .pipe(Effect.catchIf(SqlError.isSqlError, Effect.die)) as Effect.Effect<A, E, R>

    const retried = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      once(effect).pipe(
        Effect.sandbox,
        Effect.retry({
          schedule: backoff,
          times: 5,
          while: (cause) => Cause.hasDies(cause) && isRetryable(Cause.squash(cause))
        }),
        Effect.catch((cause) => Effect.failCause(cause))
      )

    return Transactor.Transactor.of({
      // Inside a transaction, joining it costs nothing; a savepoint would cost two round trips.
      // Only the outermost transaction can be run again: the inner work is part of it.
      withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.flatMap(Effect.serviceOption(sql.transactionService), (open) =>
          Option.isSome(open) ? effect : retried(effect)
        ),
      savepoint: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        Effect.flatMap(Effect.serviceOption(sql.transactionService), (open) =>
          Option.isSome(open) ? nested(effect) : once(effect)
        )
    })
  })
)
