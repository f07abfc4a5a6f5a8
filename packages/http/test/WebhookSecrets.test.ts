/**
 * Webhook secrets at rest and the webhook settings: secrets are sealed with AES-256-GCM under
 * `ROTA_WEBHOOK_KEY` or a key derived from the signing keys, open only with that key, and the
 * `ROTA_WEBHOOK_*` variables set the retry policy.
 */
import { randomBytes } from "node:crypto"
import { assert, describe, it } from "@effect/vitest"
import { WebhookTransport } from "@rota/core"
import { ConfigProvider, Effect, Exit, Layer, Redacted } from "effect"
import * as SigningKeys from "../src/server/adapters/SigningKeys.ts"
import * as WebhookSecretsLive from "../src/server/adapters/WebhookSecretsLive.ts"
import { ServerConfig } from "../src/server/ServerConfig.ts"
import { TestServer } from "../src/testing.ts"

const secretsWith = (overrides: Partial<ServerConfig["Service"]>) =>
  Effect.service(WebhookTransport.WebhookSecrets).pipe(
    Effect.provide(
      WebhookSecretsLive.layer.pipe(
        Layer.provide(SigningKeys.layer),
        Layer.provide(ServerConfig.layer({ ...TestServer.settings(), dataDir: undefined, ...overrides }))
      )
    )
  )

const jwt = Redacted.make("a-signing-secret-of-at-least-32-bytes-0123456789")

describe("webhook secrets at rest", () => {
  it("seal and open round-trip; another key or a changed byte opens nothing", () => {
    const key = randomBytes(32)
    const sealed = WebhookSecretsLive.seal("whsec_abc", "w", key)
    assert.notInclude(sealed, "whsec_abc")
    assert.strictEqual(WebhookSecretsLive.open(sealed, new Map([["w", key]])), "whsec_abc")
    assert.isUndefined(WebhookSecretsLive.open(sealed, new Map([["w", randomBytes(32)]])))
    assert.isUndefined(WebhookSecretsLive.open(sealed, new Map([["x", key]])))
    const parts = sealed.split(".")
    const flipped = parts[3]!.startsWith("A") ? `B${parts[3]!.slice(1)}` : `A${parts[3]!.slice(1)}`
    const tampered = [...parts.slice(0, 3), flipped, parts[4]].join(".")
    assert.isUndefined(WebhookSecretsLive.open(tampered, new Map([["w", key]])))
    // Sealing twice gives two values (a fresh IV each time).
    assert.notStrictEqual(WebhookSecretsLive.seal("whsec_abc", "w", key), sealed)
  })

  it.effect("ROTA_WEBHOOK_KEY seals; a secret sealed under the signing keys does not open under it", () =>
    Effect.gen(function* () {
      const withKey = yield* secretsWith({ jwtSecret: jwt, webhookKey: Redacted.make("operator-chosen-key") })
      const { secret, sealed } = yield* withKey.generate
      assert.match(Redacted.value(secret), /^whsec_/)
      assert.match(sealed, /^v1\.w\./)
      assert.strictEqual(Redacted.value(yield* withKey.open(sealed)), Redacted.value(secret))

      const derived = yield* secretsWith({ jwtSecret: jwt })
      const other = yield* derived.generate
      assert.match(other.sealed, /^v1\.j-k0\./)
      assert.strictEqual(Redacted.value(yield* derived.open(other.sealed)), Redacted.value(other.secret))
      const refused = yield* Effect.flip(withKey.open(other.sealed))
      assert.match(refused.reason, /does not open with this server's key/)
    })
  )

  it.effect("a signing key added in front (rotation) still opens secrets sealed under the old one", () =>
    Effect.gen(function* () {
      const before = yield* secretsWith({ jwtSecret: Redacted.make(`old:${Redacted.value(jwt)}`) })
      const { secret, sealed } = yield* before.generate
      const after = yield* secretsWith({
        jwtSecret: Redacted.make(`new:another-signing-secret-of-32-bytes-000000,old:${Redacted.value(jwt)}`)
      })
      assert.strictEqual(Redacted.value(yield* after.open(sealed)), Redacted.value(secret))
      assert.match((yield* after.generate).sealed, /^v1\.j-new\./)
    })
  )
})

describe("webhook settings", () => {
  const read = (env: Record<string, string>) =>
    Effect.exit(
      Effect.service(ServerConfig).pipe(
        Effect.provide(
          ServerConfig.layerFromEnv.pipe(Layer.provide(ConfigProvider.layer(ConfigProvider.fromEnv({ env }))))
        )
      )
    )

  it.effect(
    "default to a 10 s timeout, 10 s doubling to 1 h, 10 attempts, disable after 20, no private",
    () =>
      Effect.gen(function* () {
        const settings = yield* read({})
        assert.isTrue(Exit.isSuccess(settings))
        if (!Exit.isSuccess(settings)) return
        const { webhookTimeoutSeconds, webhookRetryBaseMillis, webhookRetryMaxMillis } = settings.value
        assert.deepStrictEqual(
          [webhookTimeoutSeconds, webhookRetryBaseMillis, webhookRetryMaxMillis],
          [10, 10_000, 3_600_000]
        )
        assert.deepStrictEqual(
          [settings.value.webhookMaxAttempts, settings.value.webhookDisableAfter],
          [10, 20]
        )
        assert.isFalse(settings.value.webhookAllowPrivate)
        assert.isUndefined(settings.value.webhookKey)
      })
  )

  it.effect("ROTA_WEBHOOK_* set them; out-of-range values refuse to start", () =>
    Effect.gen(function* () {
      const settings = yield* read({
        ROTA_WEBHOOK_KEY: "k",
        ROTA_WEBHOOK_ALLOW_PRIVATE: "true",
        ROTA_WEBHOOK_TIMEOUT_SECONDS: "3",
        ROTA_WEBHOOK_RETRY_BASE_MS: "500",
        ROTA_WEBHOOK_RETRY_MAX_MS: "60000",
        ROTA_WEBHOOK_MAX_ATTEMPTS: "5",
        ROTA_WEBHOOK_DISABLE_AFTER: "0"
      })
      assert.isTrue(Exit.isSuccess(settings))
      if (!Exit.isSuccess(settings)) return
      const value = settings.value
      assert.deepStrictEqual(
        [
          value.webhookAllowPrivate,
          value.webhookTimeoutSeconds,
          value.webhookRetryBaseMillis,
          value.webhookRetryMaxMillis,
          value.webhookMaxAttempts,
          value.webhookDisableAfter
        ],
        [true, 3, 500, 60_000, 5, 0]
      )
      assert.strictEqual(Redacted.value(value.webhookKey!), "k")
      for (const env of [
        { ROTA_WEBHOOK_MAX_ATTEMPTS: "0" },
        { ROTA_WEBHOOK_TIMEOUT_SECONDS: "0" },
        { ROTA_WEBHOOK_RETRY_BASE_MS: "-1" }
      ]) {
        assert.isTrue(Exit.isFailure(yield* read(env)), JSON.stringify(env))
      }
    })
  )
})
