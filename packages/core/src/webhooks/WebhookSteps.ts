/**
 * The steps of the webhooks use case: what it works with, the live endpoint, writing a change
 * with its audit event and message, and the writes themselves.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, Option, type Redacted } from "effect"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import { NotFound } from "../kernel/Errors.ts"
import { type Ids, nextId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { Webhook, WebhookId } from "./Webhook.ts"
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

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    repo: yield* WebhookRepo,
    secrets: yield* WebhookSecrets,
    targets: yield* WebhookTargets,
    transactor: yield* Transactor,
    context: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>

const entity = "webhook"

const now = Effect.map(Clock.currentTimeMillis, (millis) => DateTime.makeUnsafe(millis))

/**
 * Every read and write goes through here: the permission, then the caller's org only.
 *
 * @since 0.1.0
 * @category steps
 */
export const live = (deps: Deps) => (id: string) =>
  Effect.gen(function* () {
    yield* Permissions.require("webhook.manage")
    const actor = yield* CurrentActor
    const found = yield* deps.repo.find(actor.orgId, id)
    if (Option.isNone(found)) return yield* new NotFound({ entity, id })
    return found.value
  })

// The change, its audit event and its outbox message commit together. The message names the
// endpoint only: its URL and secret are the org's business.
const written = (
  deps: Deps,
  action: Audit.AuditAction,
  before: Webhook | null,
  after: Webhook,
  topic: string,
  write: Effect.Effect<void>
) =>
  deps.transactor
    .withTransaction(
      Effect.andThen(
        write,
        ChangeRecord.record(
          { entityType: entity, entityId: after.id, action, before, after },
          { orgId: after.orgId, topic, payload: { webhookId: after.id } }
        )
      )
    )
    .pipe(Effect.provide(deps.context))

/**
 * The URL is checked (scheme, resolved addresses) before anything is stored.
 *
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) =>
  Effect.fnUntraced(function* (fields: Fields) {
    yield* Permissions.require("webhook.manage")
    const actor = yield* CurrentActor
    yield* deps.targets.check(fields.url)
    const at = yield* now
    const webhook = new Webhook({
      id: yield* Effect.provide(nextId(WebhookId), deps.context),
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
    const { secret, sealed } = yield* deps.secrets.generate
    yield* written(deps, "CREATE", null, webhook, "webhook.created", deps.repo.insert(webhook, sealed))
    return { webhook, secret }
  })

/**
 * Enabling an endpoint clears why it was disabled and its count of failures.
 *
 * @since 0.1.0
 * @category steps
 */
export const update = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, changes: Partial<Fields>) {
    const before = yield* live(deps)(id)
    if (changes.url !== undefined && changes.url !== before.url) yield* deps.targets.check(changes.url)
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
    yield* written(deps, "UPDATE", before, after, "webhook.updated", deps.repo.update(after))
    return after
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const remove = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    const before = yield* live(deps)(id)
    const at = yield* now
    const after = new Webhook({ ...before, version: before.version + 1, updatedAt: at })
    yield* written(
      deps,
      "SOFT_DELETE",
      before,
      after,
      "webhook.deleted",
      deps.repo.remove(before.orgId, before.id, at)
    )
  })

/**
 * A new secret replaces the old one at once; answers it, in clear, once.
 *
 * @since 0.1.0
 * @category steps
 */
export const rotateSecret = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    const before = yield* live(deps)(id)
    const after = new Webhook({ ...before, version: before.version + 1, updatedAt: yield* now })
    const { secret, sealed } = yield* deps.secrets.generate
    yield* written(
      deps,
      "UPDATE",
      before,
      after,
      "webhook.secret_rotated",
      deps.repo.setSecret(after, sealed)
    )
    return { webhook: after, secret }
  })

/**
 * Sends a delivery again (same event id and body, a fresh signature), as soon as possible.
 *
 * @since 0.1.0
 * @category steps
 */
export const redeliver = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, deliveryId: string) {
    const webhook = yield* live(deps)(id)
    const found = yield* deps.repo.findDelivery(webhook.orgId, webhook.id, deliveryId)
    if (Option.isNone(found)) return yield* new NotFound({ entity: "webhook delivery", id: deliveryId })
    const at = yield* DateTime.now
    return yield* deps.transactor
      .withTransaction(
        Effect.gen(function* () {
          const after = yield* deps.repo.redeliver(webhook.orgId, found.value.id, at)
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
      .pipe(Effect.provide(deps.context))
  })
