/**
 * Periodic jobs (audit sealing, outbox delivery, key clean-up, offer expiry...). Every server
 * runs the same schedule; each tick of a job is claimed in the database, so it runs exactly once
 * across any number of servers.
 *
 * @since 0.1.0
 */
import { Clock, Context, Duration, Effect, Metric, type Scope } from "effect"

/**
 * A job and how often it runs. Its errors are its own business: a failed tick is recorded and
 * the next tick runs as usual.
 *
 * @since 0.1.0
 * @category models
 */
export interface Job<R = never> {
  /** Unique and stable: the claims are keyed by it. */
  readonly name: string
  readonly every: Duration.Duration
  /** The work of one tick; the tick number is the same on every server. */
  readonly run: (tick: number) => Effect.Effect<unknown, unknown, R>
}

/**
 * The store of tick claims.
 *
 * @since 0.1.0
 * @category services
 */
export class JobClaims extends Context.Service<
  JobClaims,
  {
    /** True for exactly one caller per (job, tick), whichever server it runs on. */
    readonly claim: (job: string, tick: number, by: string) => Effect.Effect<boolean>
    readonly finish: (
      job: string,
      tick: number,
      outcome: "ok" | "failed",
      detail: string | null
    ) => Effect.Effect<void>
  }
>()("@rota/core/JobClaims") {}

/**
 * The tick a time falls in: ticks are aligned on the epoch, so every server agrees on them.
 *
 * @since 0.1.0
 * @category rules
 */
export const tickAt = (millis: number, every: Duration.Duration): number =>
  Math.floor(millis / Duration.toMillis(every))

const runs = Metric.counter("rota_job_runs_total", { description: "Job ticks run by this server" })
const runSeconds = Metric.histogram("rota_job_run_duration_seconds", {
  description: "Time a job tick took on this server",
  boundaries: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30]
})
const lastSuccess = Metric.gauge("rota_job_last_success_timestamp_seconds", {
  description: "When each job last finished a tick without failing (Unix seconds)"
})

const runTick = <R>(job: Job<R>, tick: number, by: string) =>
  Effect.gen(function* () {
    const claims = yield* JobClaims
    if (!(yield* claims.claim(job.name, tick, by))) return
    const started = yield* Clock.currentTimeMillis
    const outcome = yield* job.run(tick).pipe(
      Effect.as({ outcome: "ok" as const, detail: null }),
      Effect.catchCause((cause) =>
        Effect.as(Effect.logError(`job ${job.name} failed`, cause), {
          outcome: "failed" as const,
          detail: String(cause).slice(0, 2000)
        })
      )
    )
    yield* claims.finish(job.name, tick, outcome.outcome, outcome.detail)
    const finished = yield* Clock.currentTimeMillis
    yield* Metric.update(Metric.withAttributes(runs, { job: job.name, outcome: outcome.outcome }), 1)
    yield* Metric.update(Metric.withAttributes(runSeconds, { job: job.name }), (finished - started) / 1000)
    if (outcome.outcome === "ok")
      yield* Metric.update(Metric.withAttributes(lastSuccess, { job: job.name }), finished / 1000)
  }).pipe(Effect.annotateLogs({ job: job.name, tick }))

/**
 * Runs `job` at every tick boundary until the scope closes; `by` names this server in claims.
 *
 * @since 0.1.0
 * @category running
 */
export const schedule = <R>(job: Job<R>, by: string): Effect.Effect<never, never, R | JobClaims> =>
  Effect.gen(function* () {
    const period = Duration.toMillis(job.every)
    let last = -1
    while (true) {
      const now = yield* Clock.currentTimeMillis
      const tick = tickAt(now, job.every)
      if (tick > last) {
        last = tick
        yield* runTick(job, tick, by)
      }
      const after = yield* Clock.currentTimeMillis
      yield* Effect.sleep(Duration.millis(period - (after % period)))
    }
  })

/**
 * Starts every job in the background of the current scope.
 *
 * @since 0.1.0
 * @category running
 */
export const start = <R>(
  jobs: ReadonlyArray<Job<R>>,
  by: string
): Effect.Effect<void, never, R | JobClaims | Scope.Scope> =>
  Effect.forEach(jobs, (job) => Effect.forkScoped(schedule(job, by)), { discard: true })
