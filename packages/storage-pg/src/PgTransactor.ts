/**
 * The `Transactor` port on `SqlClient.withTransaction`: one database transaction per unit of
 * work, savepoints for nested ones. The same code serves PostgreSQL and PGlite.
 *
 * @since 0.1.0
 */
import { Transactor } from "@rota/core"
import { Effect, Layer } from "effect"
import { SqlClient, SqlError } from "effect/sql"

/**
 * BEGIN/COMMIT failures are infrastructure faults, so they surface as defects (rendered as 503
 * or 500 at the edge); the work's own typed errors pass through untouched.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Transactor.Transactor, never, SqlClient.SqlClient> = Layer.effect(
  Transactor.Transactor,
  Effect.map(Effect.service(SqlClient.SqlClient), (sql) =>
    Transactor.Transactor.of({
      withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) =>
        // The cast only removes SqlError from the error type, which catchIf just turned into a defect.
        sql.withTransaction(effect).pipe(Effect.catchIf(SqlError.isSqlError, Effect.die)) as Effect.Effect<
          A,
          E,
          R
        >
    })
  )
)
