/**
 * The contract of every adapter of the `WaitlistRepo`: entries of one org, found, locked while
 * waiting and changed with their version raised; rankings scored live from the requesters'
 * roles, waiting time, late returns, open fines and active bookings (the core's `Priority`
 * rule), ranked within each resource, in pages, the same before and after a refresh of the
 * stored standings; and expired offers of every org, soonest first.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { UnitId } from "../inventory/ResourceUnit.ts"
import { nextId, OrgId } from "../kernel/Ids.ts"
import { WaitlistRepo } from "../waitlist/WaitlistRepo.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import { account, join, org } from "./IdentityFixtures.ts"
import { resource } from "./InventoryFixtures.ts"
import { entry, hoursFromNow, type Ports } from "./WaitlistFixtures.ts"
import { WaitlistMineCases } from "./WaitlistMineContract.ts"
import { WaitlistRankingCases } from "./WaitlistRankingContract.ts"

/**
 * @since 0.1.0
 * @category suites
 */
export const WaitlistRepoContract: ContractSuite<Ports> = {
  name: "WaitlistRepo",
  cases: [
    {
      name: "an entry is found in its org, locked only while waiting, and changed with its version raised",
      run: Effect.gen(function* () {
        const waitlist = yield* WaitlistRepo
        const { id: orgId } = yield* org()
        const ann = yield* account({ name: "ann" })
        yield* join(orgId, ann.id, "member")
        const camera = yield* resource(orgId, [])
        const stored = yield* entry(orgId, camera.id, ann.id, 3)
        const otherOrg = yield* nextId(OrgId)
        yield* expectEqual(yield* waitlist.find(orgId, stored.id), Option.some(stored), "found")
        yield* expectEqual(
          yield* waitlist.find(orgId, stored.id, { forUpdate: true }),
          Option.some(stored),
          "locked"
        )
        yield* expectEqual(Option.isNone(yield* waitlist.find(otherOrg, stored.id)), true, "another org's")
        yield* expectEqual(Option.isNone(yield* waitlist.find(orgId, "not-a-uuid")), true, "a malformed id")
        yield* expectEqual(yield* waitlist.lockWaiting(orgId, stored.id), Option.some(stored), "waiting")
        yield* expectEqual(
          Option.isNone(yield* waitlist.lockWaiting(otherOrg, stored.id)),
          true,
          "another org's"
        )
        const unitId = yield* nextId(UnitId)
        const offered = yield* waitlist.update(orgId, stored.id, {
          status: "OFFERED",
          priorityScore: 42,
          offeredUnitId: unitId,
          offerStartAt: hoursFromNow(48),
          offerEndAt: hoursFromNow(50),
          offerExpiresAt: hoursFromNow(2)
        })
        yield* expectEqual(
          [offered.status, offered.priorityScore, offered.offeredUnitId, offered.version, offered.purpose],
          ["OFFERED", 42, unitId, 2, "Contract"],
          "offered"
        )
        yield* expectEqual(
          DateTime.toEpochMillis(offered.offerExpiresAt!),
          DateTime.toEpochMillis(hoursFromNow(2)),
          "the offer's expiry"
        )
        yield* expectEqual(yield* waitlist.find(orgId, stored.id), Option.some(offered), "read back")
        yield* expectEqual(
          Option.isNone(yield* waitlist.lockWaiting(orgId, stored.id)),
          true,
          "no longer waiting"
        )
        const touched = yield* waitlist.update(orgId, stored.id, {})
        yield* expectEqual([touched.status, touched.version], ["OFFERED", 3], "no changes but the version")
      })
    },
    {
      name: "expired offers of every org are locked soonest first, at most the number asked",
      run: Effect.gen(function* () {
        const waitlist = yield* WaitlistRepo
        const setting = Effect.gen(function* () {
          const { id: orgId } = yield* org()
          const person = yield* account({ name: "offer" })
          yield* join(orgId, person.id, "member")
          return { orgId, personId: person.id, resourceId: (yield* resource(orgId, [])).id }
        })
        const [a, b] = [yield* setting, yield* setting]
        // Offers of 1990, long before any other case's: the scan spans every org.
        const at = (hour: number) => DateTime.makeUnsafe(Date.UTC(1990, 0, 1, hour))
        const offer = (where: typeof a, hour: number, status: "OFFERED" | "WAITING" = "OFFERED") =>
          entry(where.orgId, where.resourceId, where.personId, 1, { status, offerExpiresAt: at(hour) })
        const first = yield* offer(b, 0)
        const second = yield* offer(a, 1)
        yield* offer(a, 3)
        yield* offer(a, 0, "WAITING")
        const expired = (limit: number) =>
          Effect.map(
            waitlist.lockExpiredOffers(DateTime.makeUnsafe(Date.UTC(1990, 0, 1, 2)), limit),
            (entries) => entries.map((e) => e.id)
          )
        yield* expectEqual(yield* expired(10), [first.id, second.id], "soonest first")
        yield* expectEqual(yield* expired(1), [first.id], "at most one")
        yield* expectEqual(
          (yield* waitlist.lockExpiredOffers(DateTime.makeUnsafe(Date.UTC(1990, 0, 1, 1)), 10)).map(
            (e) => e.id
          ),
          [first.id, second.id],
          "expiring at the very instant"
        )
      })
    },
    ...WaitlistRankingCases,
    ...WaitlistMineCases
  ]
}
