/**
 * Webhook secrets sealed at rest with AES-256-GCM. The key is `ROTA_WEBHOOK_KEY` when set, or
 * else derived (HKDF-SHA256) from the token signing keys; a sealed value names the key it was
 * sealed with, so adding a signing key in front (rotation) still opens the older ones.
 *
 * @since 0.1.0
 */
import { hkdfSync, randomBytes } from "node:crypto"
import { WebhookTransport } from "@rota/core"
import { Effect, Layer, Redacted } from "effect"
import { ServerConfig } from "../ServerConfig.ts"
import { open, seal } from "./Sealing.ts"
import { SigningKeys } from "./SigningKeys.ts"

const derive = (material: Uint8Array) =>
  Buffer.from(hkdfSync("sha256", material, "rota", "rota webhook secrets v1", 32))

/**
 * @since 0.1.0
 * @category sealing
 */
export { open, seal } from "./Sealing.ts"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<WebhookTransport.WebhookSecrets, never, ServerConfig | SigningKeys> =
  Layer.effect(
    WebhookTransport.WebhookSecrets,
    Effect.gen(function* () {
      const config = yield* ServerConfig
      const signing = yield* SigningKeys
      const keys = new Map<string, Uint8Array>()
      let current: string
      if (config.webhookKey !== undefined) {
        current = "w"
        keys.set(current, derive(new TextEncoder().encode(Redacted.value(config.webhookKey))))
      } else {
        current = `j-${signing.current.kid}`
        for (const [kid, key] of signing.byKid) keys.set(`j-${kid}`, derive(key.secret))
      }
      const sealingKey = keys.get(current)!
      return WebhookTransport.WebhookSecrets.of({
        generate: Effect.sync(() => {
          const secret = `whsec_${randomBytes(32).toString("base64url")}`
          return { secret: Redacted.make(secret), sealed: seal(secret, current, sealingKey) }
        }),
        open: Effect.fn("WebhookSecrets.open")(function* (sealed) {
          const secret = open(sealed, keys)
          // The key changed under stored secrets: the operator must restore it (or rotate the
          // endpoints' secrets); nothing is sent unsigned meanwhile.
          if (secret === undefined)
            return yield* new WebhookTransport.SendFailed({
              reason: "the endpoint's secret does not open with this server's key (ROTA_WEBHOOK_KEY)",
              responseStatus: null
            })
          return Redacted.make(secret)
        })
      })
    })
  )
