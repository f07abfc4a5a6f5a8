import { Effect, Layer, Redacted } from "effect"
import { ValidationFailed } from "../../src/kernel/Errors.ts"
import { Ids } from "../../src/kernel/Ids.ts"
import { SendFailed, WebhookSecrets, WebhookTargets } from "../../src/webhooks/WebhookTransport.ts"

// The webhook ports the server implements on Node, made readable for the core's tests: a secret
// is "sealed" as `sealed:` and the secret reversed, and the addresses refused are spelled out
// rather than resolved.

const reversed = (text: string) => [...text].reverse().join("")

/** Secrets `whsec_…`, sealed as `sealed:` and the secret reversed. */
export const secrets: Layer.Layer<WebhookSecrets, never, Ids> = Layer.effect(
  WebhookSecrets,
  Effect.map(Effect.service(Ids), (ids) =>
    WebhookSecrets.of({
      generate: Effect.map(ids.next, (id) => {
        const secret = `whsec_${id.replaceAll("-", "")}`
        return { secret: Redacted.make(secret), sealed: `sealed:${reversed(secret)}` }
      }),
      open: (sealed) =>
        sealed.startsWith("sealed:")
          ? Effect.succeed(Redacted.make(reversed(sealed.slice("sealed:".length))))
          : Effect.fail(new SendFailed({ reason: "not sealed with this key", responseStatus: null }))
    })
  )
)

/** Refuses loopback and private hosts, and any scheme but http and https. */
export const targets: Layer.Layer<WebhookTargets> = Layer.succeed(
  WebhookTargets,
  WebhookTargets.of({
    check: (url) => {
      const parsed = URL.parse(url)
      const refused =
        parsed === null ||
        !["http:", "https:"].includes(parsed.protocol) ||
        /^(localhost|127\.|10\.|192\.168\.|169\.254\.)/.test(parsed.hostname)
      return refused
        ? Effect.fail(
            new ValidationFailed({ errors: [{ path: ["body", "url"], message: "refused address" }] })
          )
        : Effect.void
    }
  })
)

/** Both ports, on `Ids`. */
export const layer: Layer.Layer<WebhookSecrets | WebhookTargets, never, Ids> = Layer.merge(secrets, targets)
