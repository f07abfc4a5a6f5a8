/**
 * The contract of every `WebhookRepo` adapter: endpoints of one org (found, listed oldest first,
 * rewritten, removed, disabled with a reason, counting consecutive failures), the listeners of a
 * fan-out (enabled, live endpoints of the orgs asked), outbox messages taken once each, and
 * deliveries (one per event and endpoint, newest first, leased to one claimant at a time, their
 * attempts recorded, sent again on demand, purged once finished).
 *
 * Claims, takes and purges span every org, so the cases only judge the rows they made.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import type { OrgRepo } from "../identity/IdentityRepos.ts"
import { type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { Outbox, OutboxMessage, OutboxMessageId } from "../kernel/Outbox.ts"
import { DeliveryId, Webhook, type WebhookId } from "../webhooks/Webhook.ts"
import { WebhookRepo } from "../webhooks/WebhookRepo.ts"
import { type ContractSuite, expectEqual, expectTrue } from "./Contract.ts"
import { at, claimed, deliver, deliveryOf, endpoint, newOrg } from "./WebhookFixtures.ts"

type Ports = WebhookRepo | Outbox | OrgRepo | Ids

/**
 * @since 0.1.0
 * @category suites
 */
export const WebhookRepoContract: ContractSuite<Ports> = {
  name: "WebhookRepo",
  cases: [
    {
      name: "an endpoint is found and listed in its org only, rewritten, and gone once removed",
      run: Effect.gen(function* () {
        const repo = yield* WebhookRepo
        const orgId = yield* newOrg
        const later = yield* endpoint(orgId, 5)
        const earlier = yield* endpoint(orgId, 1)
        const theirs = yield* endpoint(yield* newOrg, 0)
        yield* expectEqual(yield* repo.find(orgId, later.id), Option.some(later), "found")
        yield* expectEqual(Option.isNone(yield* repo.find(orgId, theirs.id)), true, "another org's")
        yield* expectEqual(Option.isNone(yield* repo.find(orgId, "not-a-uuid")), true, "a malformed id")
        yield* expectEqual(yield* repo.list(orgId), [earlier, later], "listed oldest first")
        const rewritten = new Webhook({
          ...later,
          url: "https://hooks.example.test/moved",
          topics: ["*"],
          enabled: false,
          version: 2,
          updatedAt: DateTime.makeUnsafe(at(6))
        })
        yield* repo.update(rewritten)
        yield* expectEqual(yield* repo.find(orgId, later.id), Option.some(rewritten), "rewritten")
        yield* repo.remove(yield* nextId(OrgId), earlier.id, at(7))
        yield* expectEqual(
          Option.isSome(yield* repo.find(orgId, earlier.id)),
          true,
          "removed from another org"
        )
        yield* repo.remove(orgId, earlier.id, at(7))
        yield* expectEqual(Option.isNone(yield* repo.find(orgId, earlier.id)), true, "removed")
        yield* expectEqual(yield* repo.list(orgId), [rewritten], "listed once removed")
      })
    },
    {
      name: "listeners are the enabled, live endpoints of the orgs asked; failures count until a success",
      run: Effect.gen(function* () {
        const repo = yield* WebhookRepo
        const [first, second] = [yield* newOrg, yield* newOrg]
        const live = yield* endpoint(first, 0)
        yield* endpoint(first, 1, { enabled: false })
        const removed = yield* endpoint(first, 2)
        yield* repo.remove(first, removed.id, at(3))
        const other = yield* endpoint(second, 0)
        yield* endpoint(yield* newOrg, 0)
        const ids = (listeners: ReadonlyArray<{ readonly id: WebhookId }>) =>
          listeners.map((l) => l.id).sort()
        yield* expectEqual(
          yield* repo.listeners([first]),
          [{ id: live.id, orgId: first, topics: live.topics }],
          "one org"
        )
        yield* expectEqual(
          ids(yield* repo.listeners([first, second])),
          [live.id, other.id].sort(),
          "two orgs"
        )
        yield* expectEqual(yield* repo.listeners([]), [], "no org")
        yield* expectEqual(
          [yield* repo.endpointFailed(live.id), yield* repo.endpointFailed(live.id)],
          [1, 2],
          "failures"
        )
        yield* repo.endpointSucceeded(live.id)
        yield* expectEqual(yield* repo.endpointFailed(live.id), 1, "counted again after a success")
        yield* repo.disable(live.id, "failed 1 time", at(9))
        yield* repo.disable(live.id, "again", at(10))
        const disabled = Option.getOrThrow(yield* repo.find(first, live.id))
        yield* expectEqual(
          [
            disabled.enabled,
            disabled.disabledReason,
            disabled.version,
            DateTime.toEpochMillis(disabled.updatedAt)
          ],
          [false, "failed 1 time", 2, DateTime.toEpochMillis(at(9))],
          "disabled once"
        )
        yield* expectEqual(ids(yield* repo.listeners([first, second])), [other.id], "once disabled")
      })
    },
    {
      name: "outbox messages are taken once each, oldest first",
      run: Effect.gen(function* () {
        const repo = yield* WebhookRepo
        const outbox = yield* Outbox
        const orgId = yield* nextId(OrgId)
        const sent: Array<OutboxMessageId> = []
        for (const [n, owner] of [orgId, null, orgId].entries()) {
          const id = yield* nextId(OutboxMessageId)
          const payload = { n }
          yield* outbox.enqueue(
            new OutboxMessage({
              id,
              orgId: owner,
              topic: "booking.created",
              payload,
              createdAt: DateTime.makeUnsafe(at(n)),
              attempts: 0
            })
          )
          sent.push(id)
        }
        const taken: Array<{
          readonly id: OutboxMessageId
          readonly orgId: OrgId | null
          readonly n: unknown
        }> = []
        for (
          let page = yield* repo.takeNew(2, at(30));
          page.length > 0;
          page = yield* repo.takeNew(2, at(30))
        )
          for (const message of page)
            if (sent.includes(message.id))
              taken.push({ id: message.id, orgId: message.orgId, n: (message.payload as { n: unknown }).n })
        yield* expectEqual(
          taken,
          sent.map((id, n) => ({ id, orgId: n === 1 ? null : orgId, n })),
          "each once, oldest first"
        )
        yield* expectEqual(
          (yield* repo.takeNew(100, at(31))).filter((m) => sent.includes(m.id)),
          [],
          "taken again"
        )
      })
    },
    {
      name: "deliveries: one per event and endpoint, newest first, leased to one claimant, recorded, resent, purged",
      run: Effect.gen(function* () {
        const repo = yield* WebhookRepo
        const webhook = yield* endpoint(yield* newOrg, 0)
        yield* repo.setSecret(new Webhook({ ...webhook, version: 2 }), "sealed-again")
        const mine = yield* deliver(webhook, [1, 2, 3])
        const [d1, d2, d3] = mine as [(typeof mine)[0], (typeof mine)[0], (typeof mine)[0]]
        yield* repo.insertDeliveries([{ ...d1, id: yield* nextId(DeliveryId), body: "twice" }])
        const listed = yield* repo.deliveries(webhook.orgId, webhook.id, 10)
        yield* expectEqual(
          listed.map((row) => row.id),
          [d3.id, d2.id, d1.id],
          "newest first, each event once"
        )
        yield* expectEqual(
          (yield* repo.deliveries(yield* nextId(OrgId), webhook.id, 10)).length,
          0,
          "another org's"
        )
        yield* expectEqual(Option.isNone(yield* deliveryOf(webhook, "not-a-uuid")), true, "a malformed id")
        yield* expectEqual(yield* claimed(mine, 2), [d1.id, d2.id].sort(), "due by minute 2")
        const due = (yield* repo.claim(1000, at(3), at(4))).find((row) => row.id === d3.id)
        yield* expectEqual(
          due && [due.url, due.sealedSecret, due.body, due.attempts, due.eventId, due.orgId],
          [webhook.url, "sealed-again", d3.body, 0, d3.eventId, webhook.orgId],
          "what a claim answers"
        )
        yield* expectEqual(yield* claimed(mine, 3), [], "while leased")
        yield* repo.record(d1.id, { at: at(3), responseStatus: 204, error: null, nextAttemptAt: null })
        yield* repo.record(d2.id, { at: at(3), responseStatus: 500, error: "boom", nextAttemptAt: at(10) })
        yield* repo.record(d3.id, { at: at(3), responseStatus: null, error: "refused", nextAttemptAt: null })
        const states = Effect.forEach(mine, (row) =>
          Effect.map(
            deliveryOf(webhook, row.id),
            Option.map((d) => [d.status, d.attempts, d.responseStatus, d.lastError])
          )
        )
        yield* expectEqual(
          yield* states,
          [
            Option.some(["delivered", 1, 204, null]),
            Option.some(["pending", 1, 500, "boom"]),
            Option.some(["failed", 1, null, "refused"])
          ],
          "recorded"
        )
        yield* expectEqual(yield* claimed(mine, 10), [d2.id], "a retry, due again")
        const again = yield* repo.redeliver(webhook.orgId, d3.id, at(20))
        yield* expectEqual(
          [again.status, again.nextAttemptAt],
          ["pending", DateTime.makeUnsafe(at(20))] as const,
          "resent"
        )
        yield* expectEqual(
          yield* claimed(mine, 20),
          [d2.id, d3.id].sort(),
          "due after a resend and a lapsed lease"
        )
        const purged = yield* repo.purgeFinished(at(2))
        yield* expectTrue(purged >= 1, "purged some")
        yield* expectEqual(Option.isNone(yield* deliveryOf(webhook, d1.id)), true, "a finished one, purged")
        yield* expectEqual(Option.isSome(yield* deliveryOf(webhook, d2.id)), true, "a pending one stays")
      })
    },
    {
      name: "a disabled or removed endpoint's deliveries are not claimed",
      run: Effect.gen(function* () {
        const repo = yield* WebhookRepo
        const orgId = yield* newOrg
        const [disabled, removed, live] = [
          yield* endpoint(orgId, 0),
          yield* endpoint(orgId, 1),
          yield* endpoint(orgId, 2)
        ]
        const mine = [
          ...(yield* deliver(disabled, [1])),
          ...(yield* deliver(removed, [1])),
          ...(yield* deliver(live, [1]))
        ]
        yield* repo.disable(disabled.id, "failing", at(1))
        yield* repo.remove(orgId, removed.id, at(1))
        yield* expectEqual(yield* claimed(mine, 2), [mine[2]!.id], "the live endpoint's only")
        const other = yield* repo.findDelivery(yield* nextId(OrgId), live.id, mine[2]!.id)
        yield* expectEqual(Option.isNone(other), true, "found from another org")
      })
    }
  ]
}
