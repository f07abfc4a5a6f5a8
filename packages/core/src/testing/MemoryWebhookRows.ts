/**
 * The tables of {@link MemoryWebhookRepo} and the pure steps its writes take on them: a
 * delivery inserted unless its (event, endpoint) has one, due deliveries of enabled live
 * endpoints leased in order of when they are due, an attempt's outcome recorded.
 *
 * @since 0.1.0
 */
import { DateTime, type Effect } from "effect"
import type { OrgId } from "../kernel/Ids.ts"
import type { OutboxMessage } from "../kernel/Outbox.ts"
import { Delivery, type Webhook } from "../webhooks/Webhook.ts"
import type { DueDelivery, NewDelivery, NewMessage, Outcome } from "../webhooks/WebhookRepo.ts"
import { type MemoryDatabase, put, rows } from "./MemoryDatabase.ts"

/**
 * @since 0.1.0
 * @category models
 */
export interface EndpointRow {
  readonly webhook: Webhook
  readonly sealedSecret: string
  readonly deletedAt: DateTime.Utc | null
}

/**
 * @since 0.1.0
 * @category models
 */
export interface DeliveryRow {
  readonly delivery: Delivery
  readonly orgId: OrgId
  readonly body: string
  readonly leasedUntil: DateTime.Utc | null
}

/** Endpoints by id. @since 0.1.0 @category tables */
export const endpoints = rows<EndpointRow>("webhook_endpoints")
/** Deliveries by id. @since 0.1.0 @category tables */
export const deliveries = rows<DeliveryRow>("webhook_deliveries")

/** @since 0.1.0 @category sorts */
export const millis = (at: DateTime.Utc): number => DateTime.toEpochMillis(at)

/** @since 0.1.0 @category sorts */
export const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/**
 * The live (not removed) endpoints of these orgs.
 *
 * @since 0.1.0
 * @category endpoints
 */
export const liveOf = (
  table: ReadonlyMap<string, EndpointRow>,
  orgIds: ReadonlyArray<OrgId>
): Array<EndpointRow> =>
  [...table.values()].filter((row) => row.deletedAt === null && orgIds.includes(row.webhook.orgId))

// Rewrites the row with what `change` makes of it (nothing when it answers undefined); answers
// the row written.
const changer =
  <A>(database: MemoryDatabase["Service"], table: ReturnType<typeof rows<A>>) =>
  (id: string, change: (row: A) => A | undefined): Effect.Effect<A | undefined> =>
    database.modify(table, (all) => {
      const row = all.get(id)
      const after = row === undefined ? undefined : change(row)
      return [after, after === undefined ? all : put(all, id, after)]
    })

/** @since 0.1.0 @category endpoints */
export const endpointChanger = (database: MemoryDatabase["Service"]) => changer(database, endpoints)

/** @since 0.1.0 @category deliveries */
export const deliveryChanger = (database: MemoryDatabase["Service"]) => changer(database, deliveries)

/**
 * An outbox message as fan-out takes it.
 *
 * @since 0.1.0
 * @category messages
 */
export const newMessage = (message: OutboxMessage): NewMessage => ({
  id: message.id,
  orgId: message.orgId,
  topic: message.topic,
  payload: message.payload,
  createdAt: message.createdAt
})

/**
 * The table with the new deliveries, but none for an (event, endpoint) that has one already.
 *
 * @since 0.1.0
 * @category deliveries
 */
export const withDeliveries = (
  table: ReadonlyMap<string, DeliveryRow>,
  fresh: ReadonlyArray<NewDelivery>
): ReadonlyMap<string, DeliveryRow> => {
  const next = new Map(table)
  const pairs = new Set([...table.values()].map((row) => `${row.delivery.eventId}/${row.delivery.webhookId}`))
  for (const row of fresh) {
    const pair = `${row.eventId}/${row.webhookId}`
    if (pairs.has(pair)) continue
    pairs.add(pair)
    const at = row.at
    const delivery = new Delivery({
      id: row.id,
      webhookId: row.webhookId,
      eventId: row.eventId,
      topic: row.topic,
      status: "pending",
      attempts: 0,
      responseStatus: null,
      lastError: null,
      nextAttemptAt: at,
      createdAt: at,
      deliveredAt: null
    })
    next.set(row.id, { delivery, orgId: row.orgId, body: row.body, leasedUntil: null })
  }
  return next
}

/**
 * Leases up to `limit` due deliveries of enabled live endpoints, earliest due first: answers
 * them, and the table with their leases.
 *
 * @since 0.1.0
 * @category deliveries
 */
export const leased = (
  table: ReadonlyMap<string, DeliveryRow>,
  hooks: ReadonlyMap<string, EndpointRow>,
  lease: { readonly limit: number; readonly now: DateTime.Utc; readonly leaseUntil: DateTime.Utc }
): readonly [ReadonlyArray<DueDelivery>, ReadonlyMap<string, DeliveryRow>] => {
  const now = DateTime.toEpochMillis(lease.now)
  const due = [...table.values()]
    .filter((row) => {
      const hook = hooks.get(row.delivery.webhookId)
      const next = row.delivery.nextAttemptAt
      return (
        hook?.webhook.enabled === true &&
        hook.deletedAt === null &&
        row.delivery.status === "pending" &&
        next !== null &&
        millis(next) <= now &&
        (row.leasedUntil === null || DateTime.toEpochMillis(row.leasedUntil) <= now)
      )
    })
    .sort(
      (a, b) =>
        millis(a.delivery.nextAttemptAt!) - millis(b.delivery.nextAttemptAt!) ||
        compare(a.delivery.id, b.delivery.id)
    )
    .slice(0, lease.limit)
  const next = new Map(table)
  for (const row of due) next.set(row.delivery.id, { ...row, leasedUntil: lease.leaseUntil })
  return [
    due.map((row) => {
      const hook = hooks.get(row.delivery.webhookId)!
      return {
        id: row.delivery.id,
        webhookId: row.delivery.webhookId,
        orgId: row.orgId,
        url: hook.webhook.url,
        sealedSecret: hook.sealedSecret,
        eventId: row.delivery.eventId,
        body: row.body,
        attempts: row.delivery.attempts
      }
    }),
    next
  ]
}

/**
 * The delivery after an attempt: delivered on success; otherwise due again when a next attempt
 * is set, failed when not; the lease freed, the error cut at 2000 characters.
 *
 * @since 0.1.0
 * @category deliveries
 */
export const recorded = (row: DeliveryRow, outcome: Outcome): DeliveryRow => ({
  ...row,
  leasedUntil: null,
  delivery: new Delivery({
    ...row.delivery,
    attempts: row.delivery.attempts + 1,
    responseStatus: outcome.responseStatus,
    lastError: outcome.error === null ? null : outcome.error.slice(0, 2000),
    nextAttemptAt: outcome.nextAttemptAt === null ? null : outcome.nextAttemptAt,
    status: outcome.error === null ? "delivered" : outcome.nextAttemptAt === null ? "failed" : "pending",
    deliveredAt: outcome.error === null ? outcome.at : null
  })
})
