/**
 * The contract of every adapter of the notification inbox, preferences and delivery claims
 * (`NotificationRepo`, `PreferenceRepo`, `DeliveryRepo`): a notification once per message and
 * account, an inbox of one person in one org newest first, read once (its first reading kept);
 * settings per account or per org, removed by a `null`; a delivery claimed by one caller at a
 * time, taken over once its claim ran out, never again once sent.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import type { AccountRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import { type AccountId, type Ids, nextId, type OrgId, Uuid } from "../kernel/Ids.ts"
import { Notification, NotificationId } from "../notifications/Notification.ts"
import { DeliveryRepo, NotificationRepo, PreferenceRepo } from "../notifications/NotificationRepos.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import * as Fixtures from "./IdentityFixtures.ts"

type Ports = NotificationRepo | PreferenceRepo | DeliveryRepo | AccountRepo | OrgRepo | Ids

const at = (minute: number) => DateTime.makeUnsafe(Date.UTC(2030, 0, 1, 9, minute))

/** A notification of the account in the org, made at minute `n`, stored for a new message. */
const notify = (orgId: OrgId, accountId: AccountId, n: number, messageId?: string) =>
  Effect.gen(function* () {
    const notification = new Notification({
      id: yield* nextId(NotificationId),
      orgId,
      accountId,
      event: "booking.approved",
      title: `approved ${n}`,
      body: "Your booking was approved.",
      subjectType: "booking",
      subjectId: `booking-${n}`,
      createdAt: DateTime.makeUnsafe(at(n)),
      readAt: null
    })
    const inserted = yield* (yield* NotificationRepo).insert(notification, messageId ?? (yield* nextId(Uuid)))
    return { notification, inserted }
  })

const titlesOf = (page: { readonly items: ReadonlyArray<Notification> }) => page.items.map((one) => one.title)

/**
 * @since 0.1.0
 * @category suites
 */
export const NotificationReposContract: ContractSuite<Ports> = {
  name: "NotificationRepos",
  cases: [
    {
      name: "an inbox holds one notification per message and account, newest first, in one org only",
      run: Effect.gen(function* () {
        const inbox = yield* NotificationRepo
        const [org, elsewhere] = [(yield* Fixtures.org()).id, (yield* Fixtures.org()).id]
        const [person, other] = [(yield* Fixtures.account()).id, (yield* Fixtures.account()).id]
        const messageId = yield* nextId(Uuid)
        yield* expectEqual((yield* notify(org, person, 1, messageId)).inserted, true, "first")
        yield* expectEqual(
          (yield* notify(org, person, 9, messageId)).inserted,
          false,
          "the same message again"
        )
        yield* expectEqual((yield* notify(org, other, 1, messageId)).inserted, true, "to another account")
        for (const n of [3, 2, 4]) yield* notify(org, person, n)
        yield* notify(elsewhere, person, 5)
        const seen: Array<string> = []
        let cursor: string | undefined
        do {
          const page = yield* inbox.list(org, person, {}, { limit: 3, cursor })
          seen.push(...titlesOf(page))
          cursor = page.nextCursor ?? undefined
        } while (cursor !== undefined)
        yield* expectEqual(seen, ["approved 4", "approved 3", "approved 2", "approved 1"], "newest first")
        yield* expectEqual(yield* inbox.countUnread(org, person), 4, "unread")
        const forged = yield* Effect.flip(inbox.list(org, person, {}, { limit: 3, cursor: "forged" }))
        yield* expectEqual(forged._tag, "ValidationFailed", "a forged cursor")
      })
    },
    {
      name: "a notification is read once by its own account; all are read at once",
      run: Effect.gen(function* () {
        const inbox = yield* NotificationRepo
        const org = (yield* Fixtures.org()).id
        const [person, other] = [(yield* Fixtures.account()).id, (yield* Fixtures.account()).id]
        const made = [
          yield* notify(org, person, 1),
          yield* notify(org, person, 2),
          yield* notify(org, person, 3)
        ]
        const second = made[1]!.notification
        const readAt = (found: Option.Option<Notification>) => Option.map(found, (one) => one.readAt)
        const first = DateTime.makeUnsafe(at(10))
        yield* expectEqual(
          readAt(yield* inbox.markRead(org, person, second.id, at(10))),
          Option.some(first),
          "read"
        )
        yield* expectEqual(
          readAt(yield* inbox.markRead(org, person, second.id, at(20))),
          Option.some(first),
          "again"
        )
        yield* expectEqual(
          Option.isNone(yield* inbox.markRead(org, other, second.id, at(20))),
          true,
          "by another"
        )
        yield* expectEqual(
          Option.isNone(yield* inbox.markRead(org, person, "not-a-uuid", at(20))),
          true,
          "malformed"
        )
        const unread = yield* inbox.list(org, person, { unread: true }, { limit: 10 })
        yield* expectEqual(titlesOf(unread), ["approved 3", "approved 1"], "unread only")
        yield* expectEqual(yield* inbox.markAllRead(org, person, at(30)), 2, "all read")
        yield* expectEqual(yield* inbox.countUnread(org, person), 0, "none unread")
        yield* expectEqual(yield* inbox.markAllRead(org, person, at(31)), 0, "all read again")
      })
    },
    {
      name: "settings are an account's own or the org's defaults, sorted, and removed by null",
      run: Effect.gen(function* () {
        const preferences = yield* PreferenceRepo
        const [org, elsewhere] = [(yield* Fixtures.org()).id, (yield* Fixtures.org()).id]
        const [person, other] = [(yield* Fixtures.account()).id, (yield* Fixtures.account()).id]
        yield* preferences.apply(org, person, [
          { event: "fine.issued", channel: "email", enabled: true },
          { event: "booking.approved", channel: "in_app", enabled: false },
          { event: "booking.approved", channel: "email", enabled: true }
        ])
        yield* preferences.apply(org, person, [
          { event: "booking.approved", channel: "email", enabled: false }
        ])
        yield* expectEqual(
          yield* preferences.own(org, person),
          [
            { event: "booking.approved", channel: "email", enabled: false },
            { event: "booking.approved", channel: "in_app", enabled: false },
            { event: "fine.issued", channel: "email", enabled: true }
          ],
          "own, sorted"
        )
        yield* expectEqual(yield* preferences.own(org, other), [], "another account's")
        yield* expectEqual(yield* preferences.own(elsewhere, person), [], "in another org")
        yield* expectEqual(yield* preferences.defaults(org), [], "no defaults")
        yield* preferences.apply(org, null, [{ event: "booking.rejected", channel: "email", enabled: false }])
        yield* preferences.apply(org, person, [{ event: "fine.issued", channel: "email", enabled: null }])
        yield* expectEqual(
          yield* preferences.defaults(org),
          [{ event: "booking.rejected", channel: "email", enabled: false }],
          "defaults"
        )
        yield* expectEqual((yield* preferences.own(org, person)).length, 2, "one removed")
        yield* preferences.apply(org, null, [{ event: "booking.rejected", channel: "email", enabled: null }])
        yield* expectEqual(yield* preferences.defaults(org), [], "a default removed")
      })
    },
    {
      name: "a delivery is claimed by one caller at a time, taken over once run out, never again once sent",
      run: Effect.gen(function* () {
        const deliveries = yield* DeliveryRepo
        const messageId = yield* nextId(Uuid)
        const claim = (channel: "email" | "in_app", now: number, until: number) =>
          deliveries.claim(messageId, "someone@example.test", channel, at(now), at(until))
        yield* expectEqual(yield* claim("email", 0, 5), true, "first claim")
        yield* expectEqual(yield* claim("email", 1, 6), false, "while held")
        yield* expectEqual(yield* claim("in_app", 1, 6), true, "another channel")
        yield* expectEqual(yield* claim("email", 5, 10), true, "once run out")
        yield* deliveries.release(messageId, "someone@example.test", "email")
        yield* expectEqual(yield* claim("email", 6, 11), true, "once given back")
        yield* deliveries.markSent(messageId, "someone@example.test", "email", at(7))
        yield* deliveries.release(messageId, "someone@example.test", "email")
        yield* expectEqual(yield* claim("email", 30, 35), false, "once sent, even given back")
      })
    }
  ]
}
