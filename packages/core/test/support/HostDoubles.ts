import { Effect, Layer, Redacted } from "effect"
import { PasswordHasher } from "../../src/identity/PasswordHasher.ts"
import { WebhookSecrets, WebhookTargets } from "../../src/webhooks/WebhookTransport.ts"

// The ports the core leaves to its host, as test doubles: what `Rota.layer` needs beyond storage,
// ids and a token signer. Passwords are "hashed" by a prefix (fast, and a wrong one still fails),
// webhook secrets are sealed by a prefix, and every webhook URL may be called.
export const passwords: Layer.Layer<PasswordHasher> = Layer.succeed(
  PasswordHasher,
  PasswordHasher.of({
    hash: (password) => Effect.succeed(`plain:${Redacted.value(password)}`),
    verify: (hash, password) => Effect.succeed(hash === `plain:${Redacted.value(password)}`),
    verifyDummy: () => Effect.void
  })
)

export const webhooks: Layer.Layer<WebhookSecrets | WebhookTargets> = Layer.mergeAll(
  Layer.succeed(
    WebhookSecrets,
    WebhookSecrets.of({
      generate: Effect.succeed({ secret: Redacted.make("whsec"), sealed: "sealed:whsec" }),
      open: (sealed) => Effect.succeed(Redacted.make(sealed.replace("sealed:", "")))
    })
  ),
  Layer.succeed(WebhookTargets, WebhookTargets.of({ check: () => Effect.void }))
)
