/**
 * The `JobClaims` port on the {@link MemoryDatabase}: one row per (job, tick), taken by the first
 * claimer only, as the PostgreSQL primary key decides.
 *
 * @since 0.1.0
 */
import { Clock, Effect, Layer } from "effect"
import { JobClaims } from "../kernel/Jobs.ts"
import { MemoryDatabase, put, rows } from "./MemoryDatabase.ts"

interface JobRun {
  readonly claimedBy: string
  readonly claimedAt: number
  readonly finishedAt: number | null
  readonly outcome: "ok" | "failed" | null
  readonly detail: string | null
}

const jobRuns = rows<JobRun>("job_runs")

const keyOf = (job: string, tick: number) => `${job}/${tick}`

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<JobClaims, never, MemoryDatabase> = Layer.effect(
  JobClaims,
  Effect.map(Effect.service(MemoryDatabase), (database) =>
    JobClaims.of({
      claim: Effect.fn("MemoryJobClaims.claim")(function* (job: string, tick: number, by: string) {
        const now = yield* Clock.currentTimeMillis
        return yield* database.modify(jobRuns, (runs) =>
          runs.has(keyOf(job, tick))
            ? [false, runs]
            : [
                true,
                put(runs, keyOf(job, tick), {
                  claimedBy: by,
                  claimedAt: now,
                  finishedAt: null,
                  outcome: null,
                  detail: null
                })
              ]
        )
      }),
      finish: Effect.fn("MemoryJobClaims.finish")(function* (
        job: string,
        tick: number,
        outcome: "ok" | "failed",
        detail: string | null
      ) {
        const now = yield* Clock.currentTimeMillis
        yield* database.modify(jobRuns, (runs) => {
          const run = runs.get(keyOf(job, tick))
          return run === undefined
            ? [undefined, runs]
            : [undefined, put(runs, keyOf(job, tick), { ...run, finishedAt: now, outcome, detail })]
        })
      })
    })
  )
)
