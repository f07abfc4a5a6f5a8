/**
 * The `WebhookRepo` port on the {@link MemoryDatabase}: endpoints with their sealed secrets,
 * deliveries unique per (event, endpoint), leased by claims, and the outbox messages fan-out has
 * taken, read from the memory outbox's own table as PostgreSQL reads `outbox_messages`. Memory
 * transactions run one at a time, which stands for `FOR UPDATE SKIP LOCKED`. The same
 * `WebhookRepoContract` holds both adapters to it.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer, Option } from "effect"
import { isUuid, type OrgId } from "../kernel/Ids.ts"
import type { OutboxMessage } from "../kernel/Outbox.ts"
import { Delivery, type DeliveryId, Webhook, type WebhookId } from "../webhooks/Webhook.ts"
import { type NewDelivery, type Outcome, WebhookRepo } from "../webhooks/WebhookRepo.ts"
import { MemoryDatabase, put, remove, rows } from "./MemoryDatabase.ts"
import * as Rows from "./MemoryWebhookRows.ts"

// The memory outbox's table (`MemoryOutbox`), read only for the messages it holds.
const outbox = rows<{ readonly message: OutboxMessage }>("outbox_messages")
// The outbox messages fan-out has taken, by id, with when.
const taken = rows<DateTime.Utc>("outbox_webhooks_taken")

const { endpoints, deliveries, millis } = Rows

// The endpoints' side of the port.
const endpointMethods = (database: MemoryDatabase["Service"]) => {
  const endpoint = Rows.endpointChanger(database)

  const insert = Effect.fn("MemoryWebhookRepo.insert")(function* (webhook: Webhook, sealedSecret: string) {
    yield* database.modify(endpoints, (table) => [
      undefined,
      put(table, webhook.id, { webhook, sealedSecret, deletedAt: null })
    ])
  })

  const find = Effect.fn("MemoryWebhookRepo.find")(function* (orgId: OrgId, id: string) {
    const row = isUuid(id) ? (yield* database.read(endpoints)).get(id) : undefined
    return row === undefined || row.deletedAt !== null || row.webhook.orgId !== orgId
      ? Option.none()
      : Option.some(row.webhook)
  })

  const list = Effect.fn("MemoryWebhookRepo.list")(function* (orgId: OrgId) {
    return Rows.liveOf(yield* database.read(endpoints), [orgId])
      .map((row) => row.webhook)
      .sort((a, b) => millis(a.createdAt) - millis(b.createdAt) || Rows.compare(a.id, b.id))
  })

  const update = Effect.fn("MemoryWebhookRepo.update")(function* (webhook: Webhook) {
    yield* endpoint(webhook.id, (row) =>
      row.webhook.orgId === webhook.orgId ? { ...row, webhook } : undefined
    )
  })

  const setSecret = Effect.fn("MemoryWebhookRepo.setSecret")(function* (
    webhook: Webhook,
    sealedSecret: string
  ) {
    yield* endpoint(webhook.id, (row) =>
      row.webhook.orgId === webhook.orgId
        ? {
            ...row,
            sealedSecret,
            webhook: new Webhook({ ...row.webhook, version: webhook.version, updatedAt: webhook.updatedAt })
          }
        : undefined
    )
  })

  const listeners = Effect.fn("MemoryWebhookRepo.listeners")(function* (orgIds: ReadonlyArray<OrgId>) {
    return Rows.liveOf(yield* database.read(endpoints), orgIds)
      .filter((row) => row.webhook.enabled)
      .map(({ webhook }) => ({ id: webhook.id, orgId: webhook.orgId, topics: webhook.topics }))
  })

  const endpointSucceeded = Effect.fn("MemoryWebhookRepo.endpointSucceeded")(function* (id: WebhookId) {
    yield* endpoint(id, (row) => ({
      ...row,
      webhook: new Webhook({ ...row.webhook, consecutiveFailures: 0 })
    }))
  })

  const endpointFailed = Effect.fn("MemoryWebhookRepo.endpointFailed")(function* (id: WebhookId) {
    const after = yield* endpoint(id, (row) => ({
      ...row,
      webhook: new Webhook({ ...row.webhook, consecutiveFailures: row.webhook.consecutiveFailures + 1 })
    }))
    return after?.webhook.consecutiveFailures ?? 0
  })

  return {
    insert,
    find,
    list,
    update,
    setSecret,
    listeners,
    endpointSucceeded,
    endpointFailed
  }
}

// An endpoint's removal, and its disabling for repeated failures.
const endpointEnding = (database: MemoryDatabase["Service"]) => {
  const endpoint = Rows.endpointChanger(database)

  const removeEndpoint = Effect.fn("MemoryWebhookRepo.remove")(function* (
    orgId: OrgId,
    id: WebhookId,
    at: DateTime.Utc
  ) {
    yield* endpoint(id, (row) =>
      row.webhook.orgId === orgId
        ? {
            ...row,
            deletedAt: at,
            webhook: new Webhook({
              ...row.webhook,
              enabled: false,
              updatedAt: at,
              version: row.webhook.version + 1
            })
          }
        : undefined
    )
  })

  const disable = Effect.fn("MemoryWebhookRepo.disable")(function* (
    id: WebhookId,
    reason: string,
    at: DateTime.Utc
  ) {
    yield* endpoint(id, (row) =>
      row.webhook.enabled
        ? {
            ...row,
            webhook: new Webhook({
              ...row.webhook,
              enabled: false,
              disabledReason: reason,
              updatedAt: at,
              version: row.webhook.version + 1
            })
          }
        : undefined
    )
  })

  return { remove: removeEndpoint, disable }
}

// The deliveries' side of the port.
const deliveryMethods = (database: MemoryDatabase["Service"]) => {
  const delivery = Rows.deliveryChanger(database)

  const listDeliveries = Effect.fn("MemoryWebhookRepo.deliveries")(function* (
    orgId: OrgId,
    webhookId: WebhookId,
    limit: number
  ) {
    return [...(yield* database.read(deliveries)).values()]
      .filter((row) => row.orgId === orgId && row.delivery.webhookId === webhookId)
      .map((row) => row.delivery)
      .sort((a, b) => millis(b.createdAt) - millis(a.createdAt) || Rows.compare(b.id, a.id))
      .slice(0, limit)
  })

  const findDelivery = Effect.fn("MemoryWebhookRepo.findDelivery")(function* (
    orgId: OrgId,
    webhookId: WebhookId,
    id: string
  ) {
    const row = isUuid(id) ? (yield* database.read(deliveries)).get(id) : undefined
    return row === undefined || row.orgId !== orgId || row.delivery.webhookId !== webhookId
      ? Option.none()
      : Option.some(row.delivery)
  })

  const redeliver = Effect.fn("MemoryWebhookRepo.redeliver")(function* (
    orgId: OrgId,
    id: DeliveryId,
    at: DateTime.Utc
  ) {
    const after = yield* delivery(id, (row) =>
      row.orgId === orgId
        ? {
            ...row,
            leasedUntil: null,
            delivery: new Delivery({
              ...row.delivery,
              status: "pending",
              nextAttemptAt: at
            })
          }
        : undefined
    )
    if (after === undefined) return yield* Effect.die(new Error(`webhook delivery ${id} is not stored`))
    return after.delivery
  })

  const insertDeliveries = Effect.fn("MemoryWebhookRepo.insertDeliveries")(function* (
    fresh: ReadonlyArray<NewDelivery>
  ) {
    yield* database.modify(deliveries, (table) => [undefined, Rows.withDeliveries(table, fresh)])
  })

  const claim = Effect.fn("MemoryWebhookRepo.claim")(function* (
    limit: number,
    now: DateTime.Utc,
    leaseUntil: DateTime.Utc
  ) {
    const hooks = yield* database.read(endpoints)
    return yield* database.modify(deliveries, (table) =>
      Rows.leased(table, hooks, { limit, now, leaseUntil })
    )
  })

  const record = Effect.fn("MemoryWebhookRepo.record")(function* (id: DeliveryId, outcome: Outcome) {
    yield* delivery(id, (row) => Rows.recorded(row, outcome))
  })

  return {
    deliveries: listDeliveries,
    findDelivery,
    redeliver,
    insertDeliveries,
    claim,
    record
  }
}

// The outbox messages fan-out takes, and the purge of finished deliveries: both span every org.
const sweeps = (database: MemoryDatabase["Service"]) => {
  const takeNew = Effect.fn("MemoryWebhookRepo.takeNew")(function* (limit: number, at: DateTime.Utc) {
    const messages = [...(yield* database.read(outbox)).values()].map((row) => row.message)
    return yield* database.modify(taken, (seen) => {
      const fresh = messages
        .filter((message) => !seen.has(message.id))
        .sort((a, b) => millis(a.createdAt) - millis(b.createdAt) || Rows.compare(a.id, b.id))
        .slice(0, limit)
      const next = new Map(seen)
      for (const message of fresh) next.set(message.id, at)
      return [fresh.map(Rows.newMessage), next]
    })
  })

  const purgeFinished = Effect.fn("MemoryWebhookRepo.purgeFinished")(function* (before: DateTime.Utc) {
    return yield* database.modify(deliveries, (table) => {
      const finished = [...table.entries()]
        .filter(
          ([, row]) =>
            row.delivery.status !== "pending" &&
            millis(row.delivery.createdAt) < DateTime.toEpochMillis(before)
        )
        .map(([id]) => id)
      return [finished.length, remove(table, finished)]
    })
  })

  return { takeNew, purgeFinished }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<WebhookRepo, never, MemoryDatabase> = Layer.effect(
  WebhookRepo,
  Effect.map(Effect.service(MemoryDatabase), (database) =>
    WebhookRepo.of({
      ...endpointMethods(database),
      ...endpointEnding(database),
      ...deliveryMethods(database),
      ...sweeps(database)
    })
  )
)
