import { assert, layer } from "@effect/vitest"
import { DateTime, Duration, Effect, Layer, Option, Redacted, Ref } from "effect"
import { Ids, nextId, type OrgId } from "../../src/kernel/Ids.ts"
import * as Outbox from "../../src/kernel/Outbox.ts"
import * as Fixtures from "../../src/testing/IdentityFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { Webhook, WebhookId } from "../../src/webhooks/Webhook.ts"
import { deliverDue, WebhookConfig } from "../../src/webhooks/WebhookDelivery.ts"
import { WebhookRepo } from "../../src/webhooks/WebhookRepo.ts"
import { SendFailed, WebhookSecrets, WebhookSender } from "../../src/webhooks/WebhookTransport.ts"

interface Sent {
  readonly url: string
  readonly eventId: string
  readonly secret: string
  readonly topic: unknown
}

// What the receivers got. An endpoint whose URL says `down` answers 503.
const Inbox = Ref.makeUnsafe<ReadonlyArray<Sent>>([])

const transport = Layer.mergeAll(
  Layer.succeed(
    WebhookSecrets,
    WebhookSecrets.of({
      generate: Effect.succeed({ secret: Redacted.make("whsec"), sealed: "sealed:whsec" }),
      open: (sealed) => Effect.succeed(Redacted.make(sealed.replace("sealed:", "")))
    })
  ),
  Layer.succeed(
    WebhookSender,
    WebhookSender.of({
      send: (request) =>
        request.url.includes("down")
          ? Effect.fail(new SendFailed({ reason: "HTTP 503", responseStatus: 503 }))
          : Effect.as(
              Ref.update(Inbox, (sent) => [
                ...sent,
                {
                  url: request.url,
                  eventId: request.eventId,
                  secret: Redacted.value(request.secret),
                  topic: (JSON.parse(request.body) as { type?: unknown }).type
                }
              ]),
              { responseStatus: 204 }
            )
    })
  )
)

// Fan-out and delivery on the memory adapters: each message reaches each matching endpoint once.
const memory = Layer.mergeAll(MemoryStorage.layer, transport).pipe(Layer.provideMerge(Ids.layer))

const endpoint = (orgId: OrgId, url: string, topics: ReadonlyArray<string>) =>
  Effect.gen(function* () {
    const now = DateTime.makeUnsafe(Date.now())
    const webhook = new Webhook({
      id: yield* nextId(WebhookId),
      orgId,
      url,
      topics,
      description: "",
      enabled: true,
      disabledReason: null,
      consecutiveFailures: 0,
      version: 1,
      createdAt: now,
      updatedAt: now
    })
    yield* (yield* WebhookRepo).insert(webhook, "sealed:whsec")
    return webhook
  })

const sentTo = (url: string) => Effect.map(Ref.get(Inbox), (sent) => sent.filter((one) => one.url === url))

layer(memory, { excludeTestServices: true })("webhook delivery on memory storage", (it) => {
  it.effect(
    "a message reaches each endpoint of its org whose filter matches, once, signed with its secret",
    () =>
      Effect.gen(function* () {
        const orgId = (yield* Fixtures.org()).id
        const bookings = yield* endpoint(orgId, "https://a.example.test/bookings", ["booking.*"])
        yield* endpoint(orgId, "https://a.example.test/fines", ["fine.*"])
        const elsewhere = (yield* Fixtures.org()).id
        yield* endpoint(elsewhere, "https://b.example.test/all", ["*"])
        const message = yield* Outbox.send({ orgId, topic: "booking.approved", payload: { id: "b-1" } })
        const run = yield* deliverDue
        assert.deepStrictEqual([run.delivered, run.failed], [1, 0])
        assert.deepStrictEqual(yield* sentTo(bookings.url), [
          { url: bookings.url, eventId: message.id, secret: "whsec", topic: "booking.approved" }
        ])
        assert.strictEqual((yield* Ref.get(Inbox)).length, 1)
        const again = yield* deliverDue
        assert.deepStrictEqual([again.fannedOut, again.delivered], [0, 0])
        assert.strictEqual((yield* Ref.get(Inbox)).length, 1)
        const deliveries = yield* (yield* WebhookRepo).deliveries(orgId, bookings.id, 10)
        assert.deepStrictEqual(
          deliveries.map((delivery) => [delivery.status, delivery.attempts, delivery.responseStatus]),
          [["delivered", 1, 204]]
        )
      })
  )

  it.effect("an endpoint failing too often in a row is disabled, saying why, and no longer tried", () =>
    Effect.gen(function* () {
      const repo = yield* WebhookRepo
      const orgId = (yield* Fixtures.org()).id
      const down = yield* endpoint(orgId, "https://down.example.test/hook", ["*"])
      yield* Outbox.send({ orgId, topic: "booking.approved", payload: {} })
      const policy = { ...(yield* WebhookConfig), disableAfter: 1, base: Duration.hours(1) }
      const run = yield* Effect.provideService(deliverDue, WebhookConfig, policy)
      assert.strictEqual(run.failed, 1)
      const after = Option.getOrThrow(yield* repo.find(orgId, down.id))
      assert.deepStrictEqual([after.enabled, after.consecutiveFailures, after.version], [false, 1, 2])
      assert.isNotNull(after.disabledReason)
      const [delivery] = yield* repo.deliveries(orgId, down.id, 10)
      assert.deepStrictEqual(
        [delivery?.status, delivery?.attempts, delivery?.lastError],
        ["pending", 1, "HTTP 503"]
      )
      const redelivered = yield* repo.redeliver(orgId, delivery!.id, DateTime.nowUnsafe())
      assert.strictEqual(redelivered.status, "pending")
      const later = yield* Effect.provideService(deliverDue, WebhookConfig, policy)
      assert.strictEqual(later.failed, 0)
    })
  )
})
