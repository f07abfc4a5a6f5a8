/**
 * What webhooks need from the platform: checking that a URL may be called, sealing secrets at
 * rest, and sending signed requests. The HTTP server implements them on Node.
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Redacted, Schema } from "effect"
import type { ValidationFailed } from "../kernel/Errors.ts"

/**
 * Decides whether Rota may call a URL: the scheme, and every address its host resolves to
 * (no private, loopback, link-local, multicast or cloud-metadata addresses unless allowed).
 *
 * @since 0.1.0
 * @category services
 */
export class WebhookTargets extends Context.Service<
  WebhookTargets,
  { readonly check: (url: string) => Effect.Effect<void, ValidationFailed> }
>()("@rota/core/webhooks/WebhookTargets") {}

/**
 * An attempt did not end in a 2xx answer: refused address, connection or TLS failure, timeout,
 * redirect (never followed) or an error status.
 *
 * @since 0.1.0
 * @category errors
 */
export class SendFailed extends Schema.TaggedError<SendFailed>()("SendFailed", {
  reason: Schema.String,
  responseStatus: Schema.NullOr(Schema.Int)
}) {}

/**
 * Endpoint secrets: made by the server, shown once, stored sealed (encrypted with the server's
 * key), opened only to sign.
 *
 * @since 0.1.0
 * @category services
 */
export class WebhookSecrets extends Context.Service<
  WebhookSecrets,
  {
    readonly generate: Effect.Effect<{ readonly secret: Redacted.Redacted<string>; readonly sealed: string }>
    /**
     * Fails when the value was not sealed with this server's key (a configuration mistake):
     * the attempt fails, nothing is sent unsigned.
     */
    readonly open: (sealed: string) => Effect.Effect<Redacted.Redacted<string>, SendFailed>
  }
>()("@rota/core/webhooks/WebhookSecrets") {}

/**
 * Posts one event to one endpoint, signed with its secret.
 *
 * @since 0.1.0
 * @category services
 */
export class WebhookSender extends Context.Service<
  WebhookSender,
  {
    readonly send: (request: {
      readonly url: string
      readonly eventId: string
      readonly body: string
      readonly secret: Redacted.Redacted<string>
    }) => Effect.Effect<{ readonly responseStatus: number }, SendFailed>
  }
>()("@rota/core/webhooks/WebhookSender") {}
