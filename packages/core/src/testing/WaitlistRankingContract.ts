/**
 * The ranking part of the waitlist contract: live scores from the requesters' standing, ranks
 * within each resource, pages, and answers that stay exact whether or not the stored standings
 * were refreshed. `WaitlistRepoContract` runs these cases.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { defaultSettings } from "../identity/Organization.ts"
import { nextId, OrgId } from "../kernel/Ids.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { RankedEntry, WaitlistEntry, WaitlistFilters } from "../waitlist/WaitlistEntry.ts"
import { type RankQuery, WaitlistRepo } from "../waitlist/WaitlistRepo.ts"
import { type ContractCase, expectEqual } from "./Contract.ts"
import { account, join, org } from "./IdentityFixtures.ts"
import { resource } from "./InventoryFixtures.ts"
import { booking, entry, fine, now, type Ports } from "./WaitlistFixtures.ts"

const weights = defaultSettings.priorityWeights

// Two lines of an org. Scores at `now` (role + waiting - penalties):
// camera: olga 300+10-25 (a fine) = 285, mia 100+168 (capped)-50 (a late return) = 218,
//   tom 150+5-20 (an active booking) = 135, nina 0 (no member)+1-50 (an overdue booking) = -49,
//   and olga's cancelled entry 300+168-25 = 443;
// van: tom 155 twice (the older first), mia 100+3-50 = 53.
/**
 * The two lines the ranking cases share (the scores above).
 *
 * @since 0.1.0
 * @category fixtures
 */
export const lines = Effect.gen(function* () {
  const { id: orgId } = yield* org("Waitlist")
  const person = (name: string, role?: "owner" | "technician" | "member") =>
    Effect.gen(function* () {
      const stored = yield* account({ name })
      if (role !== undefined) yield* join(orgId, stored.id, role)
      return stored.id
    })
  const [olga, tom, mia, nina] = [
    yield* person("olga", "owner"),
    yield* person("tom", "technician"),
    yield* person("mia", "member"),
    yield* person("nina")
  ]
  yield* booking(orgId, tom, "APPROVED", 48)
  yield* booking(orgId, mia, "RETURNED", -250, { hoursAgo: 240, lateMinutes: 30 })
  yield* booking(orgId, mia, "RETURNED", -2410, { hoursAgo: 2400, lateMinutes: 30 })
  yield* booking(orgId, nina, "OVERDUE", -10)
  yield* fine(orgId, olga, "OPEN")
  yield* fine(orgId, olga, "PAID")
  const [camera, van] = [(yield* resource(orgId, [])).id, (yield* resource(orgId, [])).id]
  const cancelled = yield* entry(orgId, camera, olga, 300, { status: "CANCELLED" })
  const onCamera = [
    yield* entry(orgId, camera, nina, 1),
    yield* entry(orgId, camera, tom, 5),
    yield* entry(orgId, camera, olga, 10),
    yield* entry(orgId, camera, mia, 200)
  ]
  const onVan = [
    yield* entry(orgId, van, mia, 3),
    yield* entry(orgId, van, tom, 25),
    yield* entry(orgId, van, tom, 25 + 1 / 6)
  ]
  return { orgId, camera, van, cancelled, onCamera, onVan, people: { olga, tom, mia, nina } }
})

/**
 * @since 0.1.0
 * @category fixtures
 */
export type Lines = Effect.Success<typeof lines>

// [entry, rank, score] of each ranked entry.
const shape = (ranked: ReadonlyArray<RankedEntry>) => ranked.map((r) => [r.entry.id, r.rank, r.priorityScore])

// The expected ranking of each line, as `shape` gives it, lines in resource id order.
const expected = (
  setting: Lines,
  camera: ReadonlyArray<readonly [WaitlistEntry, number]>,
  van: ReadonlyArray<readonly [WaitlistEntry, number]> = []
) => {
  const line = (ranked: ReadonlyArray<readonly [WaitlistEntry, number]>) =>
    ranked.map(([e, score], index) => [e.id, index + 1, score])
  return setting.camera < setting.van ? [...line(camera), ...line(van)] : [...line(van), ...line(camera)]
}

const rank = (setting: Lines, filters: WaitlistFilters, page: Partial<RankQuery> = {}) =>
  Effect.flatMap(WaitlistRepo, (waitlist) =>
    Effect.map(waitlist.ranked(setting.orgId, { filters, weights, now, limit: 20, ...page }), shape)
  )

const cameraLine = (setting: Lines) => {
  const [nina, tom, olga, mia] = setting.onCamera as [
    WaitlistEntry,
    WaitlistEntry,
    WaitlistEntry,
    WaitlistEntry
  ]
  return [
    [olga, 285],
    [mia, 218],
    [tom, 135],
    [nina, -49]
  ] as const
}

/**
 * @since 0.1.0
 * @category suites
 */
export const WaitlistRankingCases: ReadonlyArray<ContractCase<Ports>> = [
  {
    name: "entries rank within their resource by live score, then age, in pages",
    run: Effect.gen(function* () {
      const waitlist = yield* WaitlistRepo
      const setting = yield* lines
      const [mia, tomNew, tomOld] = setting.onVan as [WaitlistEntry, WaitlistEntry, WaitlistEntry]
      const vanLine = [
        [tomOld, 155],
        [tomNew, 155],
        [mia, 53]
      ] as const
      const everything = expected(setting, cameraLine(setting), vanLine)
      yield* expectEqual(yield* rank(setting, { statuses: ["WAITING"] }), everything, "both lines")
      yield* expectEqual(
        yield* rank(setting, { statuses: ["WAITING"] }, { limit: 3 }),
        everything.slice(0, 3),
        "a page"
      )
      // The first line in resource id order, and the last rank of the first page there.
      const [resourceId, third] = [[setting.camera, setting.van].sort()[0]!, 3]
      yield* expectEqual(
        yield* rank(setting, { statuses: ["WAITING"] }, { after: { resourceId, rank: third } }),
        everything.slice(3),
        "the next page"
      )
      const camera = expected(setting, cameraLine(setting))
      yield* expectEqual(
        yield* rank(setting, { resourceId: setting.camera, statuses: ["WAITING"] }),
        camera,
        "one line"
      )
      yield* expectEqual(
        yield* rank(setting, { resourceId: setting.camera, statuses: ["WAITING"] }, { limit: 2 }),
        camera.slice(0, 2),
        "its first page"
      )
      yield* expectEqual(
        yield* rank(
          setting,
          { resourceId: setting.camera, statuses: ["WAITING"] },
          { limit: 2, after: { resourceId: setting.camera, rank: 2 } }
        ),
        camera.slice(2),
        "its second page"
      )
      // With no status named, each status is a line of its own: the waiting line first.
      const byStatus = [...camera, [setting.cancelled.id, 1, 443]]
      yield* expectEqual(yield* rank(setting, { resourceId: setting.camera }), byStatus, "every status")
      const withCancelled = expected(setting, [[setting.cancelled, 443], ...cameraLine(setting)])
      yield* expectEqual(
        yield* rank(setting, { resourceId: setting.camera, statuses: ["WAITING", "CANCELLED"] }),
        withCancelled,
        "two statuses, ranked together"
      )
      const tom = setting.people.tom
      const tomsRanks = (yield* rank(setting, { requesterId: tom, statuses: ["WAITING"] })).map(
        (row) => row[1]
      )
      yield* expectEqual(
        tomsRanks,
        setting.camera < setting.van ? [3, 1, 2] : [1, 2, 3],
        "one requester's entries, ranked in their lines"
      )
      const parts = yield* waitlist.ranked(setting.orgId, {
        filters: { resourceId: setting.camera, statuses: ["WAITING"] },
        weights,
        now,
        limit: 4
      })
      yield* expectEqual(
        parts.map((r) => r.scoreParts),
        [
          { role: 300, waiting: 10, lateReturns: 0, openFines: -25, activeBookings: 0 },
          { role: 100, waiting: 168, lateReturns: -50, openFines: 0, activeBookings: 0 },
          { role: 150, waiting: 5, lateReturns: 0, openFines: 0, activeBookings: -20 },
          { role: 0, waiting: 1, lateReturns: -50, openFines: 0, activeBookings: 0 }
        ],
        "score parts"
      )
      const otherOrg = yield* waitlist.ranked(yield* nextId(OrgId), { filters: {}, weights, now, limit: 20 })
      yield* expectEqual(otherOrg, [], "another org's lines")
    })
  },
  {
    name: "one entry's score parts, and rankings that stay exact through refreshes and changes",
    run: Effect.gen(function* () {
      const waitlist = yield* WaitlistRepo
      const tx = yield* Transactor
      const setting = yield* lines
      const [, , olga, mia] = setting.onCamera as [WaitlistEntry, WaitlistEntry, WaitlistEntry, WaitlistEntry]
      yield* expectEqual(
        yield* waitlist.scoreOf(setting.orgId, olga.id, weights, now),
        Option.some({ role: 300, waiting: 10, lateReturns: 0, openFines: -25, activeBookings: 0 }),
        "olga's parts"
      )
      yield* expectEqual(
        Option.isNone(yield* waitlist.scoreOf(setting.orgId, "nope", weights, now)),
        true,
        "malformed"
      )
      const stranger = yield* nextId(OrgId)
      yield* expectEqual(
        Option.isNone(yield* waitlist.scoreOf(stranger, olga.id, weights, now)),
        true,
        "another org's"
      )
      const line = { resourceId: setting.camera, statuses: ["WAITING" as const] }
      const before = yield* rank(setting, line)
      yield* tx.withTransaction(waitlist.refreshRanking(setting.orgId, weights, now))
      yield* expectEqual(yield* rank(setting, line), before, "the same after a refresh")
      yield* expectEqual((yield* waitlist.rankingsDue(now, 10_000)).includes(setting.orgId), false, "not due")
      for (let n = 0; n < 4; n++) yield* fine(setting.orgId, setting.people.mia, "OPEN")
      const [nina, tom] = setting.onCamera as [WaitlistEntry, WaitlistEntry]
      yield* expectEqual(
        yield* rank(setting, line),
        expected(setting, [
          [olga, 285],
          [tom, 135],
          [mia, 118],
          [nina, -49]
        ]),
        "four fines later, before any refresh"
      )
      yield* tx.withTransaction(waitlist.refreshRanking(setting.orgId, weights, now))
      yield* expectEqual(
        yield* rank(setting, line),
        expected(setting, [
          [olga, 285],
          [tom, 135],
          [mia, 118],
          [nina, -49]
        ]),
        "and after one"
      )
      // Two hours earlier, before nina's entry was made: it has waited nothing yet.
      const earlier = yield* rank(setting, line, {
        now: DateTime.makeUnsafe(DateTime.toEpochMillis(now) - 2 * 3_600_000)
      })
      yield* expectEqual(
        earlier,
        expected(setting, [
          [olga, 283],
          [tom, 133],
          [mia, 118],
          [nina, -50]
        ]),
        "two hours earlier"
      )
      const later = DateTime.makeUnsafe(DateTime.toEpochMillis(now) + 24 * 3_600_000)
      const tomorrow = yield* waitlist.ranked(setting.orgId, { filters: line, weights, now: later, limit: 1 })
      yield* expectEqual(shape(tomorrow), [[olga.id, 1, 309]], "a day later")
    })
  }
]
