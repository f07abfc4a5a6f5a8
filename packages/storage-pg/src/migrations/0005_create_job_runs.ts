import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/** One row per (job, tick): the primary key is what makes each tick run exactly once. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE job_runs (
      job text NOT NULL,
      tick bigint NOT NULL,
      claimed_by text NOT NULL,
      claimed_at timestamptz NOT NULL DEFAULT now(),
      finished_at timestamptz,
      outcome text,
      detail text,
      PRIMARY KEY (job, tick)
    )`
  yield* sql`CREATE INDEX job_runs_claimed_at ON job_runs (claimed_at)`
})
