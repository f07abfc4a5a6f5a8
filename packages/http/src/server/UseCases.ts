/**
 * The core's use cases with the adapters this server gives them (argon2id, jose), configured
 * from the server's settings. Storage ports come from `@rota/storage-pg`.
 *
 * @since 0.1.0
 */
import {
  AuditTrail,
  Auth,
  Bookings,
  Crews,
  Documents,
  Fines,
  IdentityConfig,
  Interventions,
  Inventory,
  Invitations,
  Members,
  Offers,
  Orgs,
  Schedule,
  Waitlist
} from "@rota/core"
import { Duration, Effect, Layer } from "effect"
import * as Argon2PasswordHasher from "./Argon2PasswordHasher.ts"
import * as JoseTokenSigner from "./JoseTokenSigner.ts"
import { ServerConfig } from "./ServerConfig.ts"
import * as SigningKeys from "./SigningKeys.ts"

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
export const tokenSigner = JoseTokenSigner.layer.pipe(Layer.provide(SigningKeys.layer))

const adapters = Layer.mergeAll(Argon2PasswordHasher.layer, tokenSigner, identityConfig)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.mergeAll(
  Auth.layer,
  Members.layer,
  AuditTrail.layer,
  Inventory.layer,
  Crews.layer,
  Waitlist.layer.pipe(Layer.provideMerge(Bookings.layer)),
  Fines.layer,
  Schedule.layer,
  Documents.layer.pipe(Layer.provideMerge(Interventions.layer))
).pipe(
  // Offers: freed time goes to the waitlist from bookings, the waitlist itself and inventory.
  Layer.provideMerge(Offers.layer),
  Layer.provideMerge(Layer.mergeAll(Orgs.layer, Invitations.layer)),
  Layer.provideMerge(adapters)
)
