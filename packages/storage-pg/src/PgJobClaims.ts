/**
 * Job tick claims on PostgreSQL: the primary key (job, tick) lets exactly one server insert a
 * tick's row, whoever asks first.
 *
 * @since 0.1.0
 */
import { Jobs } from "@rota/core"
import { DateTime, Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Jobs.JobClaims, never, SqlClient.SqlClient> = Layer.effect(
  Jobs.JobClaims,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return Jobs.JobClaims.of({
      claim: (job, tick, by) =>
        sql`INSERT INTO job_runs (job, tick, claimed_by) VALUES (${job}, ${tick}, ${by})
          ON CONFLICT (job, tick) DO NOTHING RETURNING 1 AS claimed`.pipe(
          Effect.map((rows) => rows.length === 1),
          Effect.orDie
        ),
      finish: (job, tick, outcome, detail) =>
        sql`UPDATE job_runs SET finished_at = now(), outcome = ${outcome}, detail = ${detail}
          WHERE job = ${job} AND tick = ${tick}`.pipe(Effect.asVoid, Effect.orDie)
    })
  })
)

/**
 * Deletes claims older than `before`; answers how many.
 *
 * @since 0.1.0
 * @category maintenance
 */
export const purge = (before: DateTime.Utc) =>
  Effect.flatMap(Effect.service(SqlClient.SqlClient), (sql) => {
    const cutoff = DateTime.toDateUtc(before)
    return sql<{ job: string }>`DELETE FROM job_runs WHERE claimed_at < ${cutoff} RETURNING job`
  }).pipe(
    Effect.map((rows) => rows.length),
    Effect.orDie
  )
