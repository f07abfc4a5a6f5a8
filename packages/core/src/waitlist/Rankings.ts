/**
 * Keeping the store's index of the waitlist ranking current. Rankings are exact whether or
 * not this runs; it decides how much of a line must be scored live on each read (see
 * `WaitlistRepo.refreshRanking`).
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { OrgRepo } from "../identity/IdentityRepos.ts"
import { settingsOf } from "../identity/OrgSettings.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { WaitlistRepo } from "./WaitlistRepo.ts"

/**
 * Refreshes the stored standings of every org that needs it, each org in its own
 * transaction with its current weights; returns how many orgs it refreshed.
 *
 * @since 0.1.0
 * @category jobs
 */
export const refreshDue = (limit = 100): Effect.Effect<number, never, WaitlistRepo | OrgRepo | Transactor> =>
  Effect.gen(function* () {
    const repo = yield* WaitlistRepo
    const orgs = yield* OrgRepo
    const transactor = yield* Transactor
    const due = yield* repo.rankingsDue(yield* DateTime.now, limit)
    for (const orgId of due) {
      const settings = yield* settingsOf(orgs, orgId)
      yield* transactor.withTransaction(
        Effect.flatMap(DateTime.now, (now) => repo.refreshRanking(orgId, settings.priorityWeights, now))
      )
    }
    return due.length
  })
