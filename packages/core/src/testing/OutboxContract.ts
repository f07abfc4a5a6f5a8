/**
 * The contract of every `Outbox` adapter.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, Layer, Ref } from "effect"
import { type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import { type ContractSuite, expectEqual, expectTrue } from "./Contract.ts"

const at = (iso: string) => DateTime.makeUnsafe(iso)

// Far-future instants keep these cases apart from messages other cases leave due "now".
const t0 = at("2200-01-01T00:00:00Z")
const t1 = at("2200-01-01T00:00:30Z")
const t2 = at("2200-01-01T00:02:00Z")

const sendMine = (orgId: OrgId, topic: string) => Outbox.send({ orgId, topic, payload: { topic } })

const leaseMine = (orgId: OrgId, now: DateTime.Utc, leaseUntil: DateTime.Utc) =>
  Effect.map(
    Effect.flatMap(Effect.service(Outbox.Outbox), (outbox) => outbox.lease(1000, now, leaseUntil)),
    (messages) => messages.filter((message) => message.orgId === orgId)
  )

/**
 * @since 0.1.0
 * @category suites
 */
export const OutboxContract: ContractSuite<Outbox.Outbox | Ids> = {
  name: "Outbox",
  cases: [
    {
      name: "a leased message is not leased again until its lease runs out",
      run: Effect.gen(function* () {
        const orgId = yield* nextId(OrgId)
        yield* sendMine(orgId, "a")
        const first = yield* leaseMine(orgId, t0, t1)
        yield* expectEqual(
          first.map((m) => m.topic),
          ["a"],
          "first lease"
        )
        yield* expectEqual((yield* leaseMine(orgId, t0, t1)).length, 0, "second lease before expiry")
        yield* expectEqual((yield* leaseMine(orgId, t2, t2)).length, 1, "lease after expiry")
      })
    },
    {
      name: "a delivered message is never leased again",
      run: Effect.gen(function* () {
        const outbox = yield* Outbox.Outbox
        const orgId = yield* nextId(OrgId)
        const message = yield* sendMine(orgId, "b")
        yield* outbox.markDelivered(message.id, t0)
        yield* expectEqual((yield* leaseMine(orgId, t2, t2)).length, 0, "leased after delivery")
      })
    },
    {
      name: "a failed message waits until its retry time and counts the attempt",
      run: Effect.gen(function* () {
        const outbox = yield* Outbox.Outbox
        const orgId = yield* nextId(OrgId)
        const message = yield* sendMine(orgId, "c")
        yield* outbox.markFailed(message.id, "smtp down", t1)
        yield* expectEqual((yield* leaseMine(orgId, t0, t0)).length, 0, "leased before retry time")
        const retried = yield* leaseMine(orgId, t2, t2)
        yield* expectEqual(
          retried.map((m) => m.attempts),
          [1],
          "attempts after one failure"
        )
      })
    },
    {
      name: "deliverDue hands due messages to the transport and retries the ones it refuses",
      run: Effect.gen(function* () {
        const orgId = yield* nextId(OrgId)
        yield* sendMine(orgId, "ok")
        yield* sendMine(orgId, "refused")
        const delivered = yield* Ref.make<ReadonlyArray<string>>([])
        const transport = Layer.succeed(
          Outbox.OutboxTransport,
          Outbox.OutboxTransport.of({
            deliver: Effect.fn("ContractTransport.deliver")(function* (message: Outbox.OutboxMessage) {
              if (message.orgId !== orgId) return
              if (message.topic === "refused") return yield* new Outbox.DeliveryFailed({ reason: "refused" })
              yield* Ref.update(delivered, (topics) => [...topics, message.topic])
            })
          })
        )
        yield* Outbox.deliverDue(1000).pipe(Effect.provide(transport))
        yield* expectEqual(yield* Ref.get(delivered), ["ok"], "delivered topics")
        const now = yield* Clock.currentTimeMillis
        const soon = DateTime.makeUnsafe(now + 1000)
        yield* expectEqual((yield* leaseMine(orgId, soon, soon)).length, 0, "due again within a second")
        const later = DateTime.makeUnsafe(now + 60_000)
        const retried = yield* leaseMine(orgId, later, later)
        yield* expectEqual(
          retried.map((m) => m.topic),
          ["refused"],
          "due again after the backoff"
        )
        yield* expectTrue(retried[0]!.attempts === 1, "one attempt counted")
      })
    }
  ]
}
