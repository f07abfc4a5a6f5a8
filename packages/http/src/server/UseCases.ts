/**
 * The core's use cases (`Rota.layer`) with the adapters this server gives them (argon2id,
 * jose), configured from the server's settings. Storage ports come from `@rota/storage-pg`.
 *
 * @since 0.1.0
 */
import {
  IdentityConfig,
  type PasswordHasher,
  Rota,
  type TokenSigner,
  WebhookDelivery,
  type WebhookTransport
} from "@rota/core"
import { Duration, Effect, Layer } from "effect"
import type { SqlClient } from "effect/sql"
import * as Argon2PasswordHasher from "./adapters/Argon2PasswordHasher.ts"
import * as JoseTokenSigner from "./adapters/JoseTokenSigner.ts"
import * as SigningKeyStore from "./adapters/SigningKeyStore.ts"
import * as SigningKeys from "./adapters/SigningKeys.ts"
import * as WebhookAddress from "./adapters/WebhookAddress.ts"
import * as WebhookSecretsLive from "./adapters/WebhookSecretsLive.ts"
import * as WebhookSender from "./adapters/WebhookSender.ts"
import { ServerConfig } from "./ServerConfig.ts"

// Sign-up and refresh-token settings, from the server's. `Auth` reads them when it is built.
const identityConfig = Layer.effect(
  IdentityConfig.IdentityConfig,
  Effect.map(Effect.service(ServerConfig), (settings) => ({
    ...IdentityConfig.IdentityConfig.defaultValue(),
    signupOpen: settings.signupOpen,
    refreshReuseGrace: Duration.seconds(settings.refreshReuseGraceSeconds)
  }))
)

/**
 * The server's one token signer: the use cases sign links with it, and so does the outbox's
 * delivery, which must produce the same tokens (one layer value, so one instance per server).
 *
 * @since 0.1.0
 * @category layers
 */
export const tokenSigner: Layer.Layer<TokenSigner.TokenSigner, never, ServerConfig | SqlClient.SqlClient> =
  JoseTokenSigner.layer.pipe(Layer.provide(SigningKeyStore.layer))

/**
 * Webhook retries as the settings say.
 *
 * @since 0.1.0
 * @category layers
 */
export const webhookConfig = Layer.effect(
  WebhookDelivery.WebhookConfig,
  Effect.map(Effect.service(ServerConfig), (settings) => ({
    ...WebhookDelivery.WebhookConfig.defaultValue(),
    base: Duration.millis(settings.webhookRetryBaseMillis),
    cap: Duration.millis(settings.webhookRetryMaxMillis),
    maxAttempts: settings.webhookMaxAttempts,
    disableAfter: settings.webhookDisableAfter,
    // An attempt takes at most the timeout: a lease well past it is never overtaken.
    lease: Duration.seconds(settings.webhookTimeoutSeconds * 3 + 30)
  }))
)

/**
 * The platform side of webhooks: address checks, sealed secrets, signed sending, settings.
 *
 * @since 0.1.0
 * @category layers
 */
export const webhookTransport = Layer.mergeAll(
  WebhookAddress.layer,
  WebhookSecretsLive.layer.pipe(Layer.provide(SigningKeys.layer)),
  WebhookSender.layer,
  webhookConfig
)

/**
 * The adapters the core leaves to its host, as this server makes them: argon2id password
 * hashing, the jose token signer, the identity settings and the webhook transport, from the
 * server's settings. An
 * embedding program gives them to `Rota.layer` to get the server's behaviour without HTTP.
 *
 * @since 0.1.0
 * @category layers
 */
export const adapters: Layer.Layer<
  | TokenSigner.TokenSigner
  | PasswordHasher.PasswordHasher
  | WebhookTransport.WebhookSecrets
  | WebhookTransport.WebhookTargets
  | WebhookTransport.WebhookSender,
  never,
  ServerConfig | SqlClient.SqlClient
> = Layer.mergeAll(Argon2PasswordHasher.layer, tokenSigner, identityConfig, webhookTransport)

/**
 * The services {@link layer} provides: every use case, plus the adapters it configured.
 *
 * @since 0.1.0
 * @category models
 */
export type UseCases =
  | Rota.UseCases
  | TokenSigner.TokenSigner
  | PasswordHasher.PasswordHasher
  | WebhookTransport.WebhookSecrets
  | WebhookTransport.WebhookTargets
  | WebhookTransport.WebhookSender

/**
 * The ports {@link layer} needs, which a storage adapter (`@rota/storage-pg`) and `Ids.layer`
 * provide.
 *
 * @since 0.1.0
 * @category models
 */
export type Ports = Exclude<
  Rota.Ports,
  | TokenSigner.TokenSigner
  | PasswordHasher.PasswordHasher
  | WebhookTransport.WebhookSecrets
  | WebhookTransport.WebhookTargets
>

/**
 * The core's composition root ({@link Rota.layer}) on this server's adapters.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<UseCases, never, ServerConfig | Ports | SqlClient.SqlClient> =
  Rota.layer.pipe(Layer.provideMerge(adapters))
