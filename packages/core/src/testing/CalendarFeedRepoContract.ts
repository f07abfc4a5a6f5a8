/**
 * The contract of every `CalendarFeedRepo` adapter: a live feed is found in its org only, and by
 * its token's hash from anywhere (the public route knows no org); revoking answers whether a live
 * feed stopped, and a revoked feed is found no more, by id, by hash or in the list; the list is
 * of live feeds, oldest first, in keyset pages, narrowed to one creator when asked.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { CalendarFeed, CalendarFeedId, type FeedKind } from "../calendars/CalendarFeed.ts"
import { CalendarFeedRepo } from "../calendars/CalendarFeedRepo.ts"
import type { OrgRepo } from "../identity/IdentityRepos.ts"
import { AccountId, type Ids, nextId, type OrgId, Uuid } from "../kernel/Ids.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import * as Fixtures from "./IdentityFixtures.ts"

const minute = (n: number) => DateTime.makeUnsafe(Date.UTC(2030, 0, 1, 12, n))

/** A stored feed made at minute `n`; its token's hash names its id. */
const feed = (orgId: OrgId, createdBy: AccountId, n = 0, kind: FeedKind = "person") =>
  Effect.gen(function* () {
    const stored = new CalendarFeed({
      id: yield* nextId(CalendarFeedId),
      orgId,
      kind,
      subjectId: yield* nextId(Uuid),
      createdBy,
      createdAt: minute(n)
    })
    yield* (yield* CalendarFeedRepo).insert(stored, `hash-${stored.id}`)
    return stored
  })

const orgId = Effect.map(Fixtures.org(), (org) => org.id)

/**
 * @since 0.1.0
 * @category suites
 */
export const CalendarFeedRepoContract: ContractSuite<CalendarFeedRepo | OrgRepo | Ids> = {
  name: "CalendarFeedRepo",
  cases: [
    {
      name: "a live feed is found in its org, by its token's hash from anywhere, and no more once revoked",
      run: Effect.gen(function* () {
        const feeds = yield* CalendarFeedRepo
        const [mine, theirs] = [yield* orgId, yield* orgId]
        const stored = yield* feed(mine, yield* nextId(AccountId), 0, "resource")
        yield* expectEqual(yield* feeds.find(mine, stored.id), Option.some(stored), "found")
        yield* expectEqual(Option.isNone(yield* feeds.find(theirs, stored.id)), true, "from another org")
        yield* expectEqual(Option.isNone(yield* feeds.find(mine, "not-a-uuid")), true, "a malformed id")
        yield* expectEqual(
          yield* feeds.findByTokenHash(`hash-${stored.id}`),
          Option.some({ feed: stored, tokenHash: `hash-${stored.id}` }),
          "by its token's hash"
        )
        yield* expectEqual(
          Option.isNone(yield* feeds.findByTokenHash("hash-unknown")),
          true,
          "an unknown hash"
        )
        const at = DateTime.makeUnsafe(Date.UTC(2030, 0, 2))
        yield* expectEqual(yield* feeds.revoke(theirs, stored.id, at), false, "revoked from another org")
        yield* expectEqual(Option.isSome(yield* feeds.find(mine, stored.id)), true, "still live")
        yield* expectEqual(yield* feeds.revoke(mine, stored.id, at), true, "revoked")
        yield* expectEqual(yield* feeds.revoke(mine, stored.id, at), false, "revoked again")
        yield* expectEqual(Option.isNone(yield* feeds.find(mine, stored.id)), true, "found once revoked")
        yield* expectEqual(
          Option.isNone(yield* feeds.findByTokenHash(`hash-${stored.id}`)),
          true,
          "by hash once revoked"
        )
      })
    },
    {
      name: "lists live feeds oldest first in keyset pages, all of the org's or one creator's",
      run: Effect.gen(function* () {
        const feeds = yield* CalendarFeedRepo
        const org = yield* orgId
        const [alice, bob] = [yield* nextId(AccountId), yield* nextId(AccountId)]
        const minutes = [4, 1, 5, 0, 3, 2]
        const made: Array<CalendarFeed> = []
        for (const [i, n] of minutes.entries()) made.push(yield* feed(org, i % 2 === 0 ? alice : bob, n))
        // Two feeds made in the same minute come in id order.
        made.push(yield* feed(org, bob, 3))
        yield* feeds.revoke(org, made[2]!.id, DateTime.makeUnsafe(Date.UTC(2030, 0, 2)))
        yield* feed(yield* orgId, alice, 0)
        const all = (createdBy: AccountId | undefined) =>
          Effect.gen(function* () {
            const seen: Array<string> = []
            let cursor: string | undefined
            do {
              const page = yield* feeds.list(org, { limit: 2, cursor }, createdBy)
              seen.push(...page.items.map((found) => found.id))
              cursor = page.nextCursor ?? undefined
            } while (cursor !== undefined)
            return seen
          })
        const expected = (createdBy: AccountId | undefined) =>
          made
            .filter((found, i) => i !== 2 && (createdBy === undefined || found.createdBy === createdBy))
            .sort(
              (a, b) =>
                DateTime.toEpochMillis(a.createdAt) - DateTime.toEpochMillis(b.createdAt) ||
                (a.id < b.id ? -1 : 1)
            )
            .map((found) => found.id)
        yield* expectEqual(yield* all(undefined), expected(undefined), "every live feed, oldest first")
        yield* expectEqual(yield* all(alice), expected(alice), "alice's")
        yield* expectEqual(yield* all(bob), expected(bob), "bob's")
        const forged = yield* Effect.flip(feeds.list(org, { limit: 2, cursor: "forged" }, undefined))
        yield* expectEqual(forged._tag, "ValidationFailed", "a forged cursor")
      })
    }
  ]
}
