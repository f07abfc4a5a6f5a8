/**
 * The webhooks use case: admins register endpoints for their org, see how deliveries went, and
 * ask for one again. Secrets are made here and shown once (on create and on rotation).
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Forbidden, NotFound, ValidationFailed } from "../kernel/Errors.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Delivery, Webhook } from "./Webhook.ts"
import type { WebhookRepo } from "./WebhookRepo.ts"
import type { Fields, WithSecret } from "./WebhookSteps.ts"
import * as Steps from "./WebhookSteps.ts"
import type { WebhookSecrets, WebhookTargets } from "./WebhookTransport.ts"

export type {
  /** @since 0.1.0 */
  Fields,
  /** @since 0.1.0 */
  WithSecret
} from "./WebhookSteps.ts"

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
    const deps = yield* Steps.make
    const live = Steps.live(deps)
    return Webhooks.of({
      create: Effect.fn("Webhooks.create")(Steps.create(deps)),
      list: Effect.gen(function* () {
        yield* Permissions.require("webhook.manage")
        return yield* deps.repo.list((yield* CurrentActor).orgId)
      }).pipe(Effect.withSpan("Webhooks.list")),
      get: Effect.fn("Webhooks.get")(function* (id: string) {
        return yield* live(id)
      }),
      update: Effect.fn("Webhooks.update")(Steps.update(deps)),
      remove: Effect.fn("Webhooks.remove")(Steps.remove(deps)),
      rotateSecret: Effect.fn("Webhooks.rotateSecret")(Steps.rotateSecret(deps)),
      deliveries: Effect.fn("Webhooks.deliveries")(function* (id: string, limit: number) {
        const webhook = yield* live(id)
        return yield* deps.repo.deliveries(webhook.orgId, webhook.id, limit)
      }),
      redeliver: Effect.fn("Webhooks.redeliver")(Steps.redeliver(deps))
    })
  })
)
