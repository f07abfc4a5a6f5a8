/**
 * The requester's side of the ranking contract (`/v1/waitlist/mine`): each entry ranked among
 * its resource's entries of its own status, the rank the line's listing gives it, in pages
 * ordered by resource, status and rank; the same before and after a refresh of the stored
 * standings. `WaitlistRepoContract` runs these cases.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { defaultSettings } from "../identity/Organization.ts"
import type { AccountId } from "../kernel/Ids.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { RankedEntry, WaitlistEntry, WaitlistFilters } from "../waitlist/WaitlistEntry.ts"
import { type RankQuery, WaitlistRepo } from "../waitlist/WaitlistRepo.ts"
import { type ContractCase, expectEqual } from "./Contract.ts"
import { entry, now, type Ports } from "./WaitlistFixtures.ts"
import { type Lines, lines } from "./WaitlistRankingContract.ts"

const weights = defaultSettings.priorityWeights

const ranked = (setting: Lines, filters: WaitlistFilters, page: Partial<RankQuery> = {}) =>
  Effect.flatMap(WaitlistRepo, (waitlist) =>
    waitlist.ranked(setting.orgId, { filters, weights, now, limit: 20, ...page })
  )

const shape = (rows: ReadonlyArray<RankedEntry>) =>
  rows.map((row) => [row.entry.id, row.entry.status, row.rank, row.priorityScore])

// Each of the requester's entries as the listing of its line and status ranks it.
const asTheLineRanksThem = (setting: Lines, requesterId: AccountId) =>
  Effect.gen(function* () {
    const theirs = yield* ranked(setting, { requesterId })
    const expected: Array<unknown> = []
    for (const row of theirs) {
      const line = yield* ranked(setting, {
        resourceId: row.entry.resourceId,
        statuses: [row.entry.status]
      })
      const same = line.find((other) => other.entry.id === row.entry.id)!
      expected.push([same.entry.id, same.entry.status, same.rank, same.priorityScore])
    }
    return { got: shape(theirs), expected }
  })

/**
 * @since 0.1.0
 * @category suites
 */
export const WaitlistMineCases: ReadonlyArray<ContractCase<Ports>> = [
  {
    name: "a requester's entries rank within their own status, as the line's listing ranks them",
    run: Effect.gen(function* () {
      const tx = yield* Transactor
      const waitlist = yield* WaitlistRepo
      const setting = yield* lines
      const { olga, mia, tom } = setting.people
      const [, , olgaWaits, miaWaits] = setting.onCamera as [
        WaitlistEntry,
        WaitlistEntry,
        WaitlistEntry,
        WaitlistEntry
      ]
      const [miaOnVan] = setting.onVan as [WaitlistEntry]
      // Olga's cancelled entry (443) no longer counts ahead of anyone waiting: she is first in
      // the waiting line, and mia second behind her, not third.
      const olgas = [
        [olgaWaits.id, "WAITING", 1, 285],
        [setting.cancelled.id, "CANCELLED", 1, 443]
      ]
      const mias = (camera: number, van: number) => {
        const onCamera = [miaWaits.id, "WAITING", camera, 218]
        const onVan = [miaOnVan.id, "WAITING", van, 53]
        return setting.camera < setting.van ? [onCamera, onVan] : [onVan, onCamera]
      }
      // Refused: another closed group of the camera's line, behind olga's cancelled entry.
      const refused = yield* entry(setting.orgId, setting.camera, mia, 400, { status: "REFUSED" })
      const miasAll = [...mias(2, 3)]
      miasAll.splice(setting.camera < setting.van ? 1 : 2, 0, [refused.id, "REFUSED", 1, 100 + 168 - 50])
      const check = (when: string) =>
        Effect.gen(function* () {
          yield* expectEqual(shape(yield* ranked(setting, { requesterId: olga })), olgas, `olga's, ${when}`)
          yield* expectEqual(shape(yield* ranked(setting, { requesterId: mia })), miasAll, `mia's, ${when}`)
          for (const someone of [olga, mia, tom]) {
            const { got, expected } = yield* asTheLineRanksThem(setting, someone)
            yield* expectEqual(got, expected, `as the line's listing, ${when}`)
          }
          // Statuses named: ranked among them together, as the line's listing with them.
          yield* expectEqual(
            shape(yield* ranked(setting, { requesterId: olga, statuses: ["WAITING", "CANCELLED"] })),
            [
              [setting.cancelled.id, "CANCELLED", 1, 443],
              [olgaWaits.id, "WAITING", 2, 285]
            ],
            `olga's, two statuses, ${when}`
          )
        })
      yield* check("scored live")
      yield* tx.withTransaction(waitlist.refreshRanking(setting.orgId, weights, now))
      yield* check("after a refresh")
      // Pages of one, each after the last row's resource, status and rank.
      const walked: Array<unknown> = []
      let after: RankQuery["after"]
      for (let page = 0; page < 5; page++) {
        const [row] = yield* ranked(setting, { requesterId: mia }, { limit: 1, after })
        if (row === undefined) break
        walked.push(...shape([row]))
        after = { resourceId: row.entry.resourceId, status: row.entry.status, rank: row.rank }
      }
      yield* expectEqual(walked, miasAll, "mia's, page by page")
    })
  }
]
