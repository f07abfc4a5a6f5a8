/**
 * The webhooks use case: admins register endpoints for their org, see how deliveries went, and
 * ask for one again. Secrets are made here and shown once (on create and on rotation).
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Effect, Layer, Option, type Redacted } from "effect"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import { type Forbidden, NotFound, type ValidationFailed } from "../kernel/Errors.ts"
import { type Ids, nextId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { type Delivery, Webhook, WebhookId } from "./Webhook.ts"
import { WebhookRepo } from "./WebhookRepo.ts"
import { WebhookSecrets, WebhookTargets } from "./WebhookTransport.ts"

/**
 * What an admin types about an endpoint.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fields {
  readonly url: string
  readonly topics: ReadonlyArray<string>
  readonly description?: string | undefined
  readonly enabled?: boolean | undefined
}

/**
 * An endpoint with its secret, in clear: the one answer that carries it.
 *
 * @since 0.1.0
 * @category models
 */
export interface WithSecret {
  readonly webhook: Webhook
  readonly secret: Redacted.Redacted<string>
}

type Errors = Forbidden | NotFound

/**
 * @since 0.1.0
 * @category services
 */
export class Webhooks extends Context.Service<
  Webhooks,
  {
    /** The URL is checked (scheme, resolved addresses) before anything is stored. */
    readonly create: (fields: Fields) => Effect.Effect<WithSecret, Forbidden | ValidationFailed, CurrentActor>
    readonly list: Effect.Effect<ReadonlyArray<Webhook>, Forbidden, CurrentActor>
    readonly get: (id: string) => Effect.Effect<Webhook, Errors, CurrentActor>
    /** Enabling an endpoint clears why it was disabled and its count of failures. */
    readonly update: (
      id: string,
      changes: Partial<Fields>
    ) => Effect.Effect<Webhook, Errors | ValidationFailed, CurrentActor>
    readonly remove: (id: string) => Effect.Effect<void, Errors, CurrentActor>
    /** A new secret replaces the old one at once; answers it, in clear, once. */
    readonly rotateSecret: (id: string) => Effect.Effect<WithSecret, Errors, CurrentActor>
    readonly deliveries: (
      id: string,
      limit: number
    ) => Effect.Effect<ReadonlyArray<Delivery>, Errors, CurrentActor>
    /** Sends a delivery again (same event id and body, a fresh signature), as soon as possible. */
    readonly redeliver: (id: string, deliveryId: string) => Effect.Effect<Delivery, Errors, CurrentActor>
  }
>()("@rota/core/webhooks/Webhooks") {}

const entity = "webhook"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Webhooks,
  never,
  WebhookRepo | WebhookSecrets | WebhookTargets | Transactor | AuditLog | Outbox.Outbox | Ids
> = Layer.effect(
  Webhooks,
  Effect.gen(function* () {
    const repo = yield* WebhookRepo
    const secrets = yield* WebhookSecrets
    const targets = yield* WebhookTargets
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    const now = Effect.map(Clock.currentTimeMillis, (millis) => DateTime.makeUnsafe(millis))

    // Every read and write goes through here: the permission, then the caller's org only.
    const live = (id: string) =>
      Effect.gen(function* () {
        yield* Permissions.require("webhook.manage")
        const actor = yield* CurrentActor
        const found = yield* repo.find(actor.orgId, id)
        if (Option.isNone(found)) return yield* new NotFound({ entity, id })
        return found.value
      })

    // The change, its audit event and its outbox message commit together. The message names
    // the endpoint only: its URL and secret are the org's business.
    const written = (
      action: Audit.AuditAction,
      before: Webhook | null,
      after: Webhook,
      topic: string,
      write: Effect.Effect<void>
    ) =>
      transactor
        .withTransaction(
          Effect.andThen(
            write,
            ChangeRecord.record(
              { entityType: entity, entityId: after.id, action, before, after },
              { orgId: after.orgId, topic, payload: { webhookId: after.id } }
            )
          )
        )
        .pipe(Effect.provide(context))

    const create = Effect.fn("Webhooks.create")(function* (fields: Fields) {
      yield* Permissions.require("webhook.manage")
      const actor = yield* CurrentActor
      yield* targets.check(fields.url)
      const at = yield* now
      const webhook = new Webhook({
        id: yield* Effect.provide(nextId(WebhookId), context),
        orgId: actor.orgId,
        url: fields.url,
        topics: [...new Set(fields.topics)],
        description: fields.description ?? "",
        enabled: fields.enabled ?? true,
        disabledReason: null,
        consecutiveFailures: 0,
        version: 1,
        createdAt: at,
        updatedAt: at
      })
      const { secret, sealed } = yield* secrets.generate
      yield* written("CREATE", null, webhook, "webhook.created", repo.insert(webhook, sealed))
      return { webhook, secret }
    })

    const list = Effect.gen(function* () {
      yield* Permissions.require("webhook.manage")
      return yield* repo.list((yield* CurrentActor).orgId)
    }).pipe(Effect.withSpan("Webhooks.list"))

    const get = Effect.fn("Webhooks.get")(function* (id: string) {
      return yield* live(id)
    })

    const update = Effect.fn("Webhooks.update")(function* (id: string, changes: Partial<Fields>) {
      const before = yield* live(id)
      if (changes.url !== undefined && changes.url !== before.url) yield* targets.check(changes.url)
      const reenabled = changes.enabled === true && !before.enabled
      const after = new Webhook({
        ...before,
        url: changes.url ?? before.url,
        topics: changes.topics === undefined ? before.topics : [...new Set(changes.topics)],
        description: changes.description ?? before.description,
        enabled: changes.enabled ?? before.enabled,
        disabledReason: reenabled ? null : before.disabledReason,
        consecutiveFailures: reenabled ? 0 : before.consecutiveFailures,
        version: before.version + 1,
        updatedAt: yield* now
      })
      yield* written("UPDATE", before, after, "webhook.updated", repo.update(after))
      return after
    })

    const remove = Effect.fn("Webhooks.remove")(function* (id: string) {
      const before = yield* live(id)
      const at = yield* now
      const after = new Webhook({ ...before, version: before.version + 1, updatedAt: at })
      yield* written(
        "SOFT_DELETE",
        before,
        after,
        "webhook.deleted",
        repo.remove(before.orgId, before.id, DateTime.toDateUtc(at))
      )
    })

    const rotateSecret = Effect.fn("Webhooks.rotateSecret")(function* (id: string) {
      const before = yield* live(id)
      const after = new Webhook({ ...before, version: before.version + 1, updatedAt: yield* now })
      const { secret, sealed } = yield* secrets.generate
      yield* written("UPDATE", before, after, "webhook.secret_rotated", repo.setSecret(after, sealed))
      return { webhook: after, secret }
    })

    const deliveries = Effect.fn("Webhooks.deliveries")(function* (id: string, limit: number) {
      const webhook = yield* live(id)
      return yield* repo.deliveries(webhook.orgId, webhook.id, limit)
    })

    const redeliver = Effect.fn("Webhooks.redeliver")(function* (id: string, deliveryId: string) {
      const webhook = yield* live(id)
      const found = yield* repo.findDelivery(webhook.orgId, webhook.id, deliveryId)
      if (Option.isNone(found)) return yield* new NotFound({ entity: "webhook delivery", id: deliveryId })
      const at = new Date(yield* Clock.currentTimeMillis)
      return yield* transactor
        .withTransaction(
          Effect.gen(function* () {
            const after = yield* repo.redeliver(webhook.orgId, found.value.id, at)
            yield* Audit.record({
              entityType: "webhook_delivery",
              entityId: after.id,
              action: "STATUS_CHANGE",
              before: found.value,
              after
            })
            return after
          })
        )
        .pipe(Effect.provide(context))
    })

    return Webhooks.of({ create, list, get, update, remove, rotateSecret, deliveries, redeliver })
  })
)
