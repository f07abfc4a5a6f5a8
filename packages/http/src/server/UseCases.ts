/**
 * The core's use cases with the adapters this server gives them (argon2id, jose), configured
 * from the server's settings. Storage ports come from `@rota/storage-pg`.
 *
 * @since 0.1.0
 */
import {
  type Assignments,
  type AuditLog,
  AuditTrail,
  Auth,
  type Availabilities,
  type BookingRepos,
  Bookings,
  type CrewRepos,
  Crews,
  Documents,
  Fines,
  IdentityConfig,
  type IdentityRepos,
  type Ids,
  type InterventionRepos,
  Interventions,
  Inventory,
  type InventoryRepos,
  Invitations,
  type Ledger,
  Members,
  type Missions,
  Offers,
  Orgs,
  type Outbox,
  type Parts,
  type PasswordHasher,
  type Projects,
  type RateProfiles,
  type Resources,
  Schedule,
  type Sites,
  type Tags,
  type TokenSigner,
  type Transactor,
  type Units,
  Waitlist,
  type WaitlistRepo
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
export const tokenSigner: Layer.Layer<TokenSigner.TokenSigner, never, ServerConfig> =
  JoseTokenSigner.layer.pipe(Layer.provide(SigningKeys.layer))

const adapters = Layer.mergeAll(Argon2PasswordHasher.layer, tokenSigner, identityConfig)

/**
 * The services {@link layer} provides: every use case, plus the adapters it configured.
 *
 * @since 0.1.0
 * @category models
 */
export type UseCases =
  | TokenSigner.TokenSigner
  | PasswordHasher.PasswordHasher
  | Auth.Auth
  | Orgs.Orgs
  | Members.Members
  | Invitations.Invitations
  | AuditTrail.AuditTrail
  | Sites.Sites
  | Tags.Tags
  | Resources.Resources
  | Offers.Offers
  | Units.Units
  | Parts.Parts
  | Projects.Projects
  | Missions.Missions
  | Assignments.Assignments
  | Availabilities.Availabilities
  | RateProfiles.RateProfiles
  | Waitlist.Waitlist
  | Bookings.Bookings
  | Fines.Fines
  | Schedule.Schedule
  | Documents.Documents
  | Interventions.Interventions

/**
 * The storage ports {@link layer} needs, which a storage adapter (`@rota/storage-pg`) provides.
 *
 * @since 0.1.0
 * @category models
 */
export type Ports =
  | IdentityRepos.AccountRepo
  | IdentityRepos.OrgRepo
  | IdentityRepos.SessionRepo
  | IdentityRepos.PasswordResetRepo
  | IdentityRepos.MembershipRepo
  | IdentityRepos.InvitationRepo
  | Transactor.Transactor
  | AuditLog.AuditLog
  | Outbox.Outbox
  | Ids.Ids
  | InventoryRepos.SiteRepo
  | InventoryRepos.TagRepo
  | InventoryRepos.ResourceRepo
  | InventoryRepos.UnitRepo
  | InventoryRepos.PartRepo
  | CrewRepos.ProjectRepo
  | CrewRepos.AssignmentRepo
  | CrewRepos.RateProfileRepo
  | CrewRepos.MissionRepo
  | CrewRepos.AvailabilityRepo
  | Ledger.Ledger
  | WaitlistRepo.WaitlistRepo
  | BookingRepos.BookingRepo
  | BookingRepos.FineRepo
  | InterventionRepos.DocumentRepo
  | InterventionRepos.DocumentStore
  | InterventionRepos.InterventionRepo
  | InterventionRepos.TimelineRepo
  | InterventionRepos.PartUseRepo

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<UseCases, never, ServerConfig | Ports> = Layer.mergeAll(
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
