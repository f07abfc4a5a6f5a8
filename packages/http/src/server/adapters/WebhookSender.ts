/**
 * Sends webhook events over Node's HTTP client: a JSON POST signed Stripe-style
 * (`Rota-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`), to an address the
 * SSRF guard accepted at connection time, within the configured timeout, redirects not followed.
 *
 * @since 0.1.0
 */
import { createHmac } from "node:crypto"
import { request as httpRequest, type IncomingMessage } from "node:http"
import { request as httpsRequest } from "node:https"
import { WebhookTransport } from "@rota/core"
import { Clock, Effect, Layer, Redacted } from "effect"
import { version } from "../../api/Api.ts"
import { ServerConfig } from "../ServerConfig.ts"
import * as WebhookAddress from "./WebhookAddress.ts"

/**
 * The `Rota-Signature` header for `body` sent at `timestamp` (unix seconds).
 *
 * @since 0.1.0
 * @category signing
 */
export const signature = (secret: string, timestamp: number, body: string): string =>
  `t=${timestamp},v1=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`

const failed = (reason: string, responseStatus: number | null = null) =>
  new WebhookTransport.SendFailed({ reason, responseStatus })

const post = (
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMillis: number,
  allowPrivate: boolean
) =>
  Effect.callback<number, WebhookTransport.SendFailed>((resume, signal) => {
    const send = url.protocol === "https:" ? httpsRequest : httpRequest
    const request = send(url, {
      method: "POST",
      headers: { ...headers, "Content-Length": String(Buffer.byteLength(body)) },
      lookup: WebhookAddress.guardedLookup(allowPrivate),
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMillis)]),
      // No connection reuse: every attempt resolves and checks its host afresh.
      agent: false
    })
    request.on("response", (response: IncomingMessage) => {
      // The answer's body is not kept (it may be large, or the receiver's secrets): drained.
      response.resume()
      response.on("end", () => resume(Effect.succeed(response.statusCode ?? 0)))
      response.on("error", () => resume(Effect.succeed(response.statusCode ?? 0)))
    })
    request.on("error", (error: NodeJS.ErrnoException) => {
      const reason =
        error.code === "EREFUSEDADDRESS"
          ? error.message
          : error.name === "AbortError" || error.name === "TimeoutError"
            ? `no answer within ${Math.round(timeoutMillis / 1000)} s`
            : `connection failed (${error.code ?? error.message})`
      resume(Effect.fail(failed(reason)))
    })
    request.end(body)
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<WebhookTransport.WebhookSender, never, ServerConfig> = Layer.effect(
  WebhookTransport.WebhookSender,
  Effect.map(Effect.service(ServerConfig), (config) =>
    WebhookTransport.WebhookSender.of({
      send: ({ url, eventId, body, secret }) =>
        Effect.gen(function* () {
          const refusal = WebhookAddress.refusalOf(url, config.webhookAllowPrivate)
          if (refusal !== undefined) return yield* failed(refusal)
          const timestamp = Math.floor((yield* Clock.currentTimeMillis) / 1000)
          const status = yield* post(
            new URL(url),
            {
              "Content-Type": "application/json",
              "User-Agent": `Rota-Webhooks/${version}`,
              "Rota-Event-Id": eventId,
              "Rota-Signature": signature(Redacted.value(secret), timestamp, body)
            },
            body,
            config.webhookTimeoutSeconds * 1000,
            config.webhookAllowPrivate
          )
          if (status >= 200 && status < 300) return { responseStatus: status }
          if (status >= 300 && status < 400) return yield* failed(`redirect (${status}) not followed`, status)
          return yield* failed(`answered ${status}`, status)
        })
    })
  )
)
