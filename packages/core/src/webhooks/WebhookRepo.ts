/**
 * The store of webhook endpoints and their deliveries.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect, type Option, type Schema } from "effect"
import type { OrgId } from "../kernel/Ids.ts"
import type { OutboxMessageId } from "../kernel/Outbox.ts"
import type { Delivery, DeliveryId, Webhook, WebhookId } from "./Webhook.ts"

/**
 * A delivery claimed for an attempt, with what sending it needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface DueDelivery {
  readonly id: DeliveryId
  readonly webhookId: WebhookId
  readonly orgId: OrgId
  readonly url: string
  /** The endpoint's secret as stored: sealed with the server's key. */
  readonly sealedSecret: string
  readonly eventId: OutboxMessageId
  /** The exact bytes to send and sign. */
  readonly body: string
  /** Attempts before this one. */
  readonly attempts: number
}

/**
 * An outbox message as fan-out reads it.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewMessage {
  readonly id: OutboxMessageId
  readonly orgId: OrgId | null
  readonly topic: string
  readonly payload: Schema.Json
  readonly createdAt: DateTime.Utc
}

/**
 * An endpoint as fan-out matches it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Listener {
  readonly id: WebhookId
  readonly orgId: OrgId
  readonly topics: ReadonlyArray<string>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface NewDelivery {
  readonly id: DeliveryId
  readonly orgId: OrgId
  readonly webhookId: WebhookId
  readonly eventId: OutboxMessageId
  readonly topic: string
  readonly body: string
  readonly at: DateTime.Utc
}

/**
 * How an attempt ended, as the delivery log keeps it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Outcome {
  readonly at: DateTime.Utc
  readonly responseStatus: number | null
  /** `null` for a success. */
  readonly error: string | null
  /** When to try again; `null`: no more attempts (delivered, or given up). */
  readonly nextAttemptAt: DateTime.Utc | null
}

/**
 * @since 0.1.0
 * @category services
 */
export class WebhookRepo extends Context.Service<
  WebhookRepo,
  {
    readonly insert: (webhook: Webhook, sealedSecret: string) => Effect.Effect<void>
    /** A live (not deleted) endpoint of the org. */
    readonly find: (orgId: OrgId, id: string) => Effect.Effect<Option.Option<Webhook>>
    readonly list: (orgId: OrgId) => Effect.Effect<ReadonlyArray<Webhook>>
    /** Writes every field of `webhook` (its version already bumped by the caller). */
    readonly update: (webhook: Webhook) => Effect.Effect<void>
    readonly setSecret: (webhook: Webhook, sealedSecret: string) => Effect.Effect<void>
    readonly remove: (orgId: OrgId, id: WebhookId, at: DateTime.Utc) => Effect.Effect<void>
    /** The endpoint's deliveries, newest first. */
    readonly deliveries: (
      orgId: OrgId,
      webhookId: WebhookId,
      limit: number
    ) => Effect.Effect<ReadonlyArray<Delivery>>
    readonly findDelivery: (
      orgId: OrgId,
      webhookId: WebhookId,
      id: string
    ) => Effect.Effect<Option.Option<Delivery>>
    /** Makes a delivery due again at `at`, whatever its state; answers it. */
    readonly redeliver: (orgId: OrgId, id: DeliveryId, at: DateTime.Utc) => Effect.Effect<Delivery>
    /**
     * Marks up to `limit` outbox messages not yet seen by webhooks as seen, and answers them;
     * messages another server is taking are skipped. Call it in the transaction that inserts
     * their deliveries.
     */
    readonly takeNew: (limit: number, at: DateTime.Utc) => Effect.Effect<ReadonlyArray<NewMessage>>
    /** The enabled, live endpoints of these orgs, with their filters. */
    readonly listeners: (orgIds: ReadonlyArray<OrgId>) => Effect.Effect<ReadonlyArray<Listener>>
    /** Inserts deliveries; one that exists for its (event, endpoint) already is left alone. */
    readonly insertDeliveries: (rows: ReadonlyArray<NewDelivery>) => Effect.Effect<void>
    /**
     * Leases up to `limit` due deliveries of enabled endpoints until `leaseUntil`, skipping
     * those another server holds, so each attempt is made by one server only.
     */
    readonly claim: (
      limit: number,
      now: DateTime.Utc,
      leaseUntil: DateTime.Utc
    ) => Effect.Effect<ReadonlyArray<DueDelivery>>
    /** Records an attempt's outcome and frees the lease. */
    readonly record: (id: DeliveryId, outcome: Outcome) => Effect.Effect<void>
    /** A success resets the endpoint's count of consecutive failures. */
    readonly endpointSucceeded: (id: WebhookId) => Effect.Effect<void>
    /** Counts a failed attempt against the endpoint; answers its consecutive failures. */
    readonly endpointFailed: (id: WebhookId) => Effect.Effect<number>
    /** Deletes finished deliveries (delivered or failed) created before `before`; answers how many. */
    readonly purgeFinished: (before: DateTime.Utc) => Effect.Effect<number>
    /** Stops deliveries to the endpoint, saying why. */
    readonly disable: (id: WebhookId, reason: string, at: DateTime.Utc) => Effect.Effect<void>
  }
>()("@rota/core/webhooks/WebhookRepo") {}
