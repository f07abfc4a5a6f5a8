/**
 * The contract of every `JobClaims` adapter.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { JobClaims } from "../kernel/Jobs.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"

/**
 * @since 0.1.0
 * @category suites
 */
export const JobClaimsContract: ContractSuite<JobClaims | Ids> = {
  name: "JobClaims",
  cases: [
    {
      name: "each tick of a job is claimed by exactly one of many racing servers",
      run: Effect.gen(function* () {
        const claims = yield* JobClaims
        const job = `job-${yield* nextId(OrgId)}`
        for (const tick of [1, 2, 3]) {
          const won = yield* Effect.all(
            ["a", "b", "c", "d"].map((server) => claims.claim(job, tick, server)),
            { concurrency: "unbounded" }
          )
          yield* expectEqual(won.filter(Boolean).length, 1, `winners of tick ${tick}`)
        }
      })
    },
    {
      name: "jobs are claimed independently",
      run: Effect.gen(function* () {
        const claims = yield* JobClaims
        const suffix = yield* nextId(OrgId)
        yield* expectEqual(yield* claims.claim(`a-${suffix}`, 1, "s"), true, "job a")
        yield* expectEqual(yield* claims.claim(`b-${suffix}`, 1, "s"), true, "job b")
        yield* claims.finish(`a-${suffix}`, 1, "ok", null)
        yield* expectEqual(yield* claims.claim(`a-${suffix}`, 1, "s"), false, "job a again")
      })
    }
  ]
}
