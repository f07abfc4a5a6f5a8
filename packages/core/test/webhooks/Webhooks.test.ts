import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Redacted } from "effect"
import { AuditLog } from "../../src/kernel/AuditLog.ts"
import { AccountId, Ids, nextId } from "../../src/kernel/Ids.ts"
import { Outbox } from "../../src/kernel/Outbox.ts"
import { Actor, type CurrentActor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import * as Fixtures from "../../src/testing/IdentityFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { claimed, deliver } from "../../src/testing/WebhookFixtures.ts"
import type { Webhook } from "../../src/webhooks/Webhook.ts"
import { WebhookRepo } from "../../src/webhooks/WebhookRepo.ts"
import * as Webhooks from "../../src/webhooks/Webhooks.ts"
import { as } from "../support/UseCases.ts"
import * as WebhookPorts from "../support/WebhookPorts.ts"

// The webhooks use case on the memory adapters: endpoints an org's admins manage, their secrets
// shown once and stored sealed.
const memory = Webhooks.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, WebhookPorts.layer)),
  Layer.provideMerge(Ids.layer)
)

/** A new org and an actor of each role given in it. */
const orgWith = (...roles: ReadonlyArray<Role>) =>
  Effect.gen(function* () {
    const { id: orgId } = yield* Fixtures.org()
    return yield* Effect.forEach(roles, (role) =>
      Effect.map(nextId(AccountId), (accountId) => new Actor({ orgId, accountId, role }))
    )
  })

const fields = { url: "https://hooks.example.test/rota", topics: ["booking.*", "booking.*", "site.created"] }

/** An endpoint of a new org, made by its admin. */
const registered = Effect.gen(function* () {
  const [admin] = yield* orgWith("admin")
  const made = yield* as(admin!, (yield* Webhooks.Webhooks).create(fields))
  return { admin: admin!, ...made }
})

/** The secret the delivery worker would sign the endpoint's next delivery with, as stored. */
const storedSecret = (webhook: Webhook) =>
  Effect.gen(function* () {
    const [row] = yield* deliver(webhook, [0])
    const far = DateTime.makeUnsafe(Date.UTC(2200, 0, 1))
    const due = yield* (yield* WebhookRepo).claim(1000, far, far)
    return due.find((delivery) => delivery.id === row!.id)?.sealedSecret
  })

/** The org's outbox messages since the last call, as [topic, payload]. */
const messagesOf = (orgId: string) =>
  Effect.flatMap(Effect.service(Outbox), (outbox) => {
    const [now, later] = [
      DateTime.makeUnsafe(Date.UTC(2200, 0, 1)),
      DateTime.makeUnsafe(Date.UTC(2300, 0, 1))
    ]
    return Effect.map(outbox.lease(1000, now, later), (messages) =>
      messages.filter((message) => message.orgId === orgId).map((message) => [message.topic, message.payload])
    )
  })

const tagOf = <A, E extends { readonly _tag: string }, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.map(Effect.flip(effect), (error) => error._tag)

layer(memory, { excludeTestServices: true })("Webhooks on memory storage", (it) => {
  it.effect("an endpoint's secret is answered once, stored sealed, and in nothing read back", () =>
    Effect.gen(function* () {
      const webhooks = yield* Webhooks.Webhooks
      const { admin, webhook, secret } = yield* registered
      const clear = Redacted.value(secret)
      assert.deepStrictEqual(
        [webhook.topics, webhook.enabled, webhook.version],
        [["booking.*", "site.created"], true, 1]
      )
      const read = [yield* as(admin, webhooks.get(webhook.id)), ...(yield* as(admin, webhooks.list))]
      assert.notInclude(JSON.stringify(read), clear)
      const sealed = yield* storedSecret(webhook)
      assert.isDefined(sealed)
      assert.notInclude(sealed ?? "", clear)
      assert.deepStrictEqual(yield* messagesOf(admin.orgId), [["webhook.created", { webhookId: webhook.id }]])
      const events = yield* (yield* AuditLog).list(admin.orgId, { limit: 10 })
      assert.deepStrictEqual(
        events.items.map((event) => [event.entityType, event.action, event.entityId]),
        [["webhook", "CREATE", webhook.id]]
      )
      assert.notInclude(JSON.stringify(events.items), clear)
    })
  )

  it.effect("an address the server may not call is refused before anything is stored", () =>
    Effect.gen(function* () {
      const webhooks = yield* Webhooks.Webhooks
      const [admin] = yield* orgWith("admin")
      for (const url of ["http://127.0.0.1/hook", "http://10.0.0.8/hook", "ftp://hooks.example.test/"]) {
        assert.strictEqual(yield* tagOf(as(admin!, webhooks.create({ ...fields, url }))), "ValidationFailed")
      }
      assert.deepStrictEqual(yield* as(admin!, webhooks.list), [])
      assert.deepStrictEqual(yield* messagesOf(admin!.orgId), [])
    })
  )

  it.effect("only admins manage webhooks: a manager may neither make nor list them", () =>
    Effect.gen(function* () {
      const webhooks = yield* Webhooks.Webhooks
      const [manager, owner] = yield* orgWith("manager", "owner")
      const made = yield* Effect.flip(as(manager!, webhooks.create(fields)))
      assert.deepStrictEqual(
        [made._tag, made._tag === "Forbidden" && made.permission],
        ["Forbidden", "webhook.manage"]
      )
      assert.strictEqual(yield* tagOf(as(manager!, webhooks.list)), "Forbidden")
      assert.strictEqual((yield* as(owner!, webhooks.create(fields))).webhook.orgId, owner!.orgId)
    })
  )

  it.effect("another org's endpoint is not found, whatever is asked of it", () =>
    Effect.gen(function* () {
      const webhooks = yield* Webhooks.Webhooks
      const { webhook } = yield* registered
      const [stranger] = yield* orgWith("owner")
      const [delivery] = yield* deliver(webhook, [1])
      const attempts: ReadonlyArray<Effect.Effect<unknown, { readonly _tag: string }, CurrentActor>> = [
        webhooks.get(webhook.id),
        webhooks.update(webhook.id, { description: "mine now" }),
        webhooks.rotateSecret(webhook.id),
        webhooks.deliveries(webhook.id, 10),
        webhooks.redeliver(webhook.id, delivery!.id),
        webhooks.remove(webhook.id)
      ]
      for (const attempt of attempts) assert.strictEqual(yield* tagOf(as(stranger!, attempt)), "NotFound")
      assert.deepStrictEqual(yield* as(stranger!, webhooks.list), [])
    })
  )

  it.effect("rotating the secret replaces the stored one at once and answers the new one once", () =>
    Effect.gen(function* () {
      const webhooks = yield* Webhooks.Webhooks
      const { admin, webhook, secret } = yield* registered
      const before = yield* storedSecret(webhook)
      yield* messagesOf(admin.orgId)
      const rotated = yield* as(admin, webhooks.rotateSecret(webhook.id))
      assert.notStrictEqual(Redacted.value(rotated.secret), Redacted.value(secret))
      assert.strictEqual(rotated.webhook.version, 2)
      const after = yield* storedSecret(webhook)
      assert.notStrictEqual(after, before)
      assert.notInclude(after ?? "", Redacted.value(rotated.secret))
      assert.deepStrictEqual(yield* messagesOf(admin.orgId), [
        ["webhook.secret_rotated", { webhookId: webhook.id }]
      ])
    })
  )

  it.effect("re-enabling an endpoint the server disabled clears why, and its count of failures", () =>
    Effect.gen(function* () {
      const webhooks = yield* Webhooks.Webhooks
      const repo = yield* WebhookRepo
      const { admin, webhook } = yield* registered
      for (let n = 0; n < 3; n++) yield* repo.endpointFailed(webhook.id)
      yield* repo.disable(webhook.id, "disabled after 3 consecutive failed deliveries", DateTime.nowUnsafe())
      const disabled = yield* as(admin, webhooks.get(webhook.id))
      assert.deepStrictEqual([disabled.enabled, disabled.consecutiveFailures], [false, 3])
      const refused = webhooks.update(webhook.id, { url: "http://192.168.1.1/" })
      assert.strictEqual(yield* tagOf(as(admin, refused)), "ValidationFailed")
      const enabled = yield* as(admin, webhooks.update(webhook.id, { enabled: true }))
      assert.deepStrictEqual(
        [enabled.enabled, enabled.disabledReason, enabled.consecutiveFailures, enabled.url],
        [true, null, 0, fields.url]
      )
      assert.isAbove(enabled.version, disabled.version)
    })
  )

  it.effect("a removed endpoint is gone: not found, not listed, no longer delivered to", () =>
    Effect.gen(function* () {
      const webhooks = yield* Webhooks.Webhooks
      const { admin, webhook } = yield* registered
      const rows = yield* deliver(webhook, [2])
      yield* as(admin, webhooks.remove(webhook.id))
      assert.strictEqual(yield* tagOf(as(admin, webhooks.get(webhook.id))), "NotFound")
      assert.deepStrictEqual(yield* as(admin, webhooks.list), [])
      assert.deepStrictEqual(yield* claimed(rows, 10), [])
      const events = yield* (yield* AuditLog).list(admin.orgId, { limit: 10, action: ["SOFT_DELETE"] })
      assert.deepStrictEqual(
        events.items.map((event) => event.entityId),
        [webhook.id]
      )
    })
  )

  it.effect("a failed delivery is sent again on request, audited; an unknown one is not found", () =>
    Effect.gen(function* () {
      const webhooks = yield* Webhooks.Webhooks
      const repo = yield* WebhookRepo
      const { admin, webhook } = yield* registered
      const [row] = yield* deliver(webhook, [3])
      yield* repo.record(row!.id, {
        at: DateTime.nowUnsafe(),
        responseStatus: 500,
        error: "HTTP 500",
        nextAttemptAt: null
      })
      const [failed] = yield* as(admin, webhooks.deliveries(webhook.id, 10))
      assert.deepStrictEqual([failed?.status, failed?.responseStatus], ["failed", 500])
      const again = yield* as(admin, webhooks.redeliver(webhook.id, row!.id))
      assert.deepStrictEqual([again.status, again.eventId], ["pending", row!.eventId])
      assert.deepStrictEqual(yield* claimed([row!], 0), [row!.id])
      const events = yield* (yield* AuditLog).list(admin.orgId, {
        limit: 10,
        entityType: ["webhook_delivery"]
      })
      assert.deepStrictEqual(
        events.items.map((event) => [event.entityId, event.action]),
        [[row!.id, "STATUS_CHANGE"]]
      )
      const unknown = webhooks.redeliver(webhook.id, yield* nextId(AccountId))
      assert.strictEqual(yield* tagOf(as(admin, unknown)), "NotFound")
    })
  )
})
