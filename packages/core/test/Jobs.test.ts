import { assert, describe, it } from "@effect/vitest"
import { Clock, Duration, Effect, Fiber, Layer, Metric, Ref } from "effect"
import { TestClock } from "effect/testing"
import { Jobs } from "../src/index.ts"

// In-memory claims: the first claimant of a (job, tick) wins.
const memoryClaims = Layer.sync(Jobs.JobClaims, () => {
  const taken = new Set<string>()
  return Jobs.JobClaims.of({
    claim: (job, tick) =>
      Effect.sync(() => {
        const key = `${job}/${tick}`
        if (taken.has(key)) return false
        taken.add(key)
        return true
      }),
    finish: () => Effect.void
  })
})

describe("Jobs", () => {
  it("ticks are aligned on the epoch, so every server computes the same ones", () => {
    assert.strictEqual(Jobs.tickAt(59_999, Duration.minutes(1)), 0)
    assert.strictEqual(Jobs.tickAt(60_000, Duration.minutes(1)), 1)
  })

  it.effect(
    "three servers on one claim store run each tick of a job once, and a failing tick does not stop it",
    () =>
      Effect.gen(function* () {
        const runs = yield* Ref.make<Array<number>>([])
        const job: Jobs.Job = {
          name: "count",
          every: Duration.seconds(10),
          run: (tick) =>
            Effect.gen(function* () {
              const now = yield* Clock.currentTimeMillis
              assert.strictEqual(tick, Jobs.tickAt(now, Duration.seconds(10)))
              const done = yield* Ref.updateAndGet(runs, (ticks) => [...ticks, tick])
              if (done.length === 2) return yield* Effect.fail("boom")
            })
        }
        const servers = yield* Effect.forEach(["a", "b", "c"], (server) =>
          Effect.forkChild(Jobs.schedule(job, server))
        )
        for (let i = 0; i < 5; i++) yield* TestClock.adjust("10 seconds")
        yield* Effect.forEach(servers, Fiber.interrupt)
        assert.deepStrictEqual(yield* Ref.get(runs), [0, 1, 2, 3, 4, 5])
        // Runs are counted per job and outcome, for /metrics.
        const counted = (yield* Metric.snapshot).filter((m) => m.id === "rota_job_runs_total")
        const total = counted.reduce((sum, m) => sum + Number((m.state as { count: number }).count), 0)
        assert.strictEqual(total, 6)
      }).pipe(Effect.provide(memoryClaims))
  )
})
