/**
 * The contract of every adapter of the `ReminderRepo`: checked-out bookings due back, and offers
 * expiring, in `(now, until]`, of every org, soonest first up to the limit, each claimed once per
 * subject and due time (a new due time is a new reminder), in the caller's transaction (a claim
 * rolled back is claimed again).
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Schema } from "effect"
import type { BookingStatus } from "../bookings/Booking.ts"
import { BookingRepo } from "../bookings/BookingRepos.ts"
import type { AccountRepo, MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import type { ResourceRepo } from "../inventory/InventoryRepos.ts"
import type { AccountId, Ids, OrgId } from "../kernel/Ids.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { type Due, ReminderRepo } from "../notifications/NotificationRepos.ts"
import type { WaitlistStatus } from "../waitlist/WaitlistEntry.ts"
import { WaitlistRepo } from "../waitlist/WaitlistRepo.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import { account, org } from "./IdentityFixtures.ts"
import { resource } from "./InventoryFixtures.ts"
import { booking, entry, hoursFromNow } from "./WaitlistFixtures.ts"

type Ports =
  | ReminderRepo
  | BookingRepo
  | WaitlistRepo
  | Transactor
  | ResourceRepo
  | AccountRepo
  | OrgRepo
  | MembershipRepo
  | Ids

/**
 * The instants of a case, `start` hours after the fixtures' `now`: each case has its own,
 * far from the instants other suites use, so that nothing left due on a shared database falls
 * in its windows (the scans span every org).
 */
const clock = (start: number) => ({
  at: (hours: number) => hoursFromNow(start + hours),
  hour: (hours: number) => start + hours
})

/** A comparable form of claims: by due time, then id. */
const claims = (dues: ReadonlyArray<Due>) =>
  dues
    .map((due) => ({
      orgId: due.orgId,
      id: due.id,
      accountId: due.accountId,
      dueAt: DateTime.toEpochMillis(due.dueAt)
    }))
    .sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))

const expected = (orgId: OrgId, id: string, accountId: AccountId, dueAt: DateTime.Utc) => ({
  orgId,
  id,
  accountId,
  dueAt: DateTime.toEpochMillis(dueAt)
})

/** Two orgs with one person each. */
const twoOrgs = Effect.gen(function* () {
  const [{ id: first }, { id: second }] = [yield* org(), yield* org()]
  const [ann, bob] = [(yield* account({ name: "ann" })).id, (yield* account({ name: "bob" })).id]
  return { first, second, ann, bob }
})

class Rollback extends Schema.TaggedError<Rollback>()("Rollback", { claimed: Schema.Number }) {}

/**
 * @since 0.1.0
 * @category suites
 */
export const ReminderRepoContract: ContractSuite<Ports> = {
  name: "ReminderRepo",
  cases: [
    {
      name: "checked-out bookings due back in (now, until] of every org are claimed soonest first, once",
      run: Effect.gen(function* () {
        const reminders = yield* ReminderRepo
        const { at, hour } = clock(20_000)
        const { first, second, ann, bob } = yield* twoOrgs
        const due = (orgId: OrgId, who: AccountId, status: BookingStatus, hours: number) =>
          booking(orgId, who, status, hour(hours))
        const soonest = yield* due(first, ann, "CHECKED_OUT", 1)
        const next = yield* due(second, bob, "CHECKED_OUT", 2)
        const last = yield* due(first, bob, "CHECKED_OUT", 3)
        yield* due(first, ann, "CHECKED_OUT", 0)
        yield* due(first, ann, "CHECKED_OUT", 4)
        yield* due(first, ann, "APPROVED", 1.5)
        yield* due(first, ann, "OVERDUE", 2.5)
        yield* due(first, ann, "RETURNED", 2.75)
        yield* expectEqual(
          claims(yield* reminders.claimDueSoon(at(0), at(3), 2)),
          [expected(first, soonest.id, ann, at(1)), expected(second, next.id, bob, at(2))],
          "the two soonest"
        )
        yield* expectEqual(
          claims(yield* reminders.claimDueSoon(at(0), at(3), 10)),
          [expected(first, last.id, bob, at(3))],
          "the rest, due at the end of the window"
        )
        yield* expectEqual(yield* reminders.claimDueSoon(at(0), at(3), 10), [], "each once")
        yield* expectEqual(yield* reminders.claimExpiringOffers(at(0), at(3), 10), [], "no offer")
      })
    },
    {
      name: "a booking due back later is reminded again for its new due time",
      run: Effect.gen(function* () {
        const reminders = yield* ReminderRepo
        const { at, hour } = clock(21_000)
        const { first, ann } = yield* twoOrgs
        const stored = yield* booking(first, ann, "CHECKED_OUT", hour(1))
        yield* expectEqual((yield* reminders.claimDueSoon(at(0), at(3), 10)).length, 1, "claimed")
        yield* (yield* BookingRepo).update(first, stored.id, { endAt: hoursFromNow(hour(2)) })
        yield* expectEqual(
          claims(yield* reminders.claimDueSoon(at(0), at(3), 10)),
          [expected(first, stored.id, ann, at(2))],
          "extended"
        )
        yield* expectEqual(yield* reminders.claimDueSoon(at(0), at(3), 10), [], "once again")
      })
    },
    {
      name: "offers expiring in (now, until] of every org are claimed soonest first, once",
      run: Effect.gen(function* () {
        const reminders = yield* ReminderRepo
        const { at, hour } = clock(22_000)
        const { first, second, ann, bob } = yield* twoOrgs
        const [camera, projector] = [(yield* resource(first, [])).id, (yield* resource(second, [])).id]
        const offer = (orgId: OrgId, who: AccountId, status: WaitlistStatus, hours: number) =>
          entry(orgId, orgId === first ? camera : projector, who, 1, {
            status,
            offerExpiresAt: hoursFromNow(hour(hours))
          })
        const soonest = yield* offer(second, bob, "OFFERED", 1)
        const next = yield* offer(first, ann, "OFFERED", 2)
        const last = yield* offer(first, bob, "OFFERED", 3)
        yield* offer(first, ann, "OFFERED", 0)
        yield* offer(first, ann, "OFFERED", 4)
        yield* offer(first, ann, "WAITING", 1.5)
        yield* offer(first, ann, "EXPIRED", 2.5)
        yield* offer(first, ann, "ACCEPTED", 2.75)
        yield* booking(first, ann, "CHECKED_OUT", hour(2))
        yield* expectEqual(
          claims(yield* reminders.claimExpiringOffers(at(0), at(3), 2)),
          [expected(second, soonest.id, bob, at(1)), expected(first, next.id, ann, at(2))],
          "the two soonest"
        )
        yield* expectEqual(
          claims(yield* reminders.claimExpiringOffers(at(0), at(3), 10)),
          [expected(first, last.id, bob, at(3))],
          "the rest, expiring at the end of the window"
        )
        yield* expectEqual(yield* reminders.claimExpiringOffers(at(0), at(3), 10), [], "each once")
        yield* expectEqual((yield* reminders.claimDueSoon(at(0), at(3), 10)).length, 1, "the booking apart")
      })
    },
    {
      name: "an offer made again with a new expiry is reminded again; a claim rolled back is claimed again",
      run: Effect.gen(function* () {
        const reminders = yield* ReminderRepo
        const { at, hour } = clock(23_000)
        const { first, ann } = yield* twoOrgs
        const camera = (yield* resource(first, [])).id
        const stored = yield* entry(first, camera, ann, 1, {
          status: "OFFERED",
          offerExpiresAt: hoursFromNow(hour(1))
        })
        const claim = reminders.claimExpiringOffers(at(0), at(3), 10)
        const rolledBack = yield* Effect.flip(
          (yield* Transactor).withTransaction(
            Effect.flatMap(claim, (claimed) => Effect.fail(new Rollback({ claimed: claimed.length })))
          )
        )
        yield* expectEqual(rolledBack.claimed, 1, "claimed, then rolled back")
        yield* expectEqual((yield* claim).length, 1, "claimed again after the rollback")
        yield* (yield* WaitlistRepo).update(first, stored.id, { offerExpiresAt: hoursFromNow(hour(2)) })
        yield* expectEqual(claims(yield* claim), [expected(first, stored.id, ann, at(2))], "offered again")
        yield* expectEqual(yield* claim, [], "once again")
      })
    }
  ]
}
