/**
 * Endpoints and deliveries written through `WebhookRepo`, for its contract suite.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { nextId, type OrgId } from "../kernel/Ids.ts"
import { OutboxMessageId } from "../kernel/Outbox.ts"
import { DeliveryId, Webhook, WebhookId } from "../webhooks/Webhook.ts"
import { WebhookRepo } from "../webhooks/WebhookRepo.ts"
import * as Fixtures from "./IdentityFixtures.ts"

/**
 * Minute `minute` of 08:00 on 2030-01-01.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const at = (minute: number) => DateTime.makeUnsafe(Date.UTC(2030, 0, 1, 8, minute))

/**
 * A stored endpoint of the org, made at minute `n`, its secret sealed as `sealed-<id>`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const endpoint = (orgId: OrgId, n = 0, fields: { readonly enabled?: boolean } = {}) =>
  Effect.gen(function* () {
    const stored = new Webhook({
      id: yield* nextId(WebhookId),
      orgId,
      url: `https://hooks.example.test/${n}`,
      topics: ["booking.*"],
      description: `endpoint ${n}`,
      enabled: fields.enabled ?? true,
      disabledReason: null,
      consecutiveFailures: 0,
      version: 1,
      createdAt: DateTime.makeUnsafe(at(n)),
      updatedAt: DateTime.makeUnsafe(at(n))
    })
    yield* (yield* WebhookRepo).insert(stored, `sealed-${stored.id}`)
    return stored
  })

/**
 * A stored org.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const newOrg = Effect.map(Fixtures.org(), (org) => org.id)

/**
 * Deliveries of new events to the endpoint, made (and due) at the minutes given.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const deliver = (webhook: Webhook, minutes: ReadonlyArray<number>) =>
  Effect.gen(function* () {
    const rows = []
    for (const minute of minutes) {
      const eventId = yield* nextId(OutboxMessageId)
      const id = yield* nextId(DeliveryId)
      const body = `{"event":"${eventId}"}`
      rows.push({
        id,
        orgId: webhook.orgId,
        webhookId: webhook.id,
        eventId,
        topic: "booking.created",
        body,
        at: at(minute)
      })
    }
    yield* (yield* WebhookRepo).insertDeliveries(rows)
    return rows
  })

/**
 * The ids of `mine` among the deliveries a claim at minute `now` leases for one minute, sorted:
 * a claim answers the deliveries it leased in no particular order.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const claimed = (mine: ReadonlyArray<{ readonly id: DeliveryId }>, now: number) =>
  Effect.map(
    Effect.flatMap(Effect.service(WebhookRepo), (repo) => repo.claim(1000, at(now), at(now + 1))),
    (due) =>
      due
        .filter((row) => mine.some((own) => own.id === row.id))
        .map((row) => row.id)
        .sort()
  )

/**
 * The endpoint's delivery, as its org finds it.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const deliveryOf = (webhook: Webhook, id: string) =>
  Effect.flatMap(Effect.service(WebhookRepo), (repo) => repo.findDelivery(webhook.orgId, webhook.id, id))
