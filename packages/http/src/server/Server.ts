/**
 * Wires the server: the store, the API handlers, the platform routes (`/metrics`, `/docs`,
 * `/openapi.json`) and the edge middleware, served over Node's HTTP server.
 *
 * @since 0.1.0
 */
import {
  type Assignments,
  type AuditLog,
  type Auth,
  type Availabilities,
  type BookingRepos,
  type Bookings,
  type CrewRepos,
  type Documents,
  type Fines,
  type Idempotency,
  type IdentityRepos,
  Ids,
  type InterventionRepos,
  type Interventions,
  type InventoryRepos,
  type Invitations,
  type Jobs,
  type Ledger,
  type Members,
  type Missions,
  Notifications,
  type Offers,
  type Orgs,
  type Outbox,
  type Parts,
  type PasswordHasher,
  type Projects,
  type RateProfiles,
  type Resources,
  type Schedule,
  type Sites,
  type Tags,
  type TokenSigner,
  type Transactor,
  type Units,
  type Waitlist,
  type WaitlistRepo
} from "@rota/core"
import { Database, Migrations, Storage } from "@rota/storage-pg"
import { Effect, Layer, References } from "effect"
import { HttpRouter } from "effect/http"
import { type HttpApi, HttpApiBuilder, type HttpApiGroup, HttpApiScalar } from "effect/http-api"
import type { SqlClient } from "effect/sql"
import { Api } from "../api/Api.ts"
import { AllowedMethods } from "./AllowedMethods.ts"
import * as AuditHandlers from "./AuditHandlers.ts"
import * as AuthHandlers from "./AuthHandlers.ts"
import * as BackgroundJobs from "./BackgroundJobs.ts"
import * as BookingsHandlers from "./BookingsHandlers.ts"
import * as Cors from "./Cors.ts"
import * as CrewsHandlers from "./CrewsHandlers.ts"
import * as DemoData from "./DemoData.ts"
import * as Edge from "./Edge.ts"
import * as FileMailbox from "./FileMailbox.ts"
import * as IdempotencyLive from "./IdempotencyLive.ts"
import * as InterventionsHandlers from "./InterventionsHandlers.ts"
import * as InventoryHandlers from "./InventoryHandlers.ts"
import * as InvitationsHandlers from "./InvitationsHandlers.ts"
import { jsonLogger, LogSink } from "./LogSink.ts"
import * as MetricsRoute from "./MetricsRoute.ts"
import * as NodeServer from "./NodeServer.ts"
import * as OrgsHandlers from "./OrgsHandlers.ts"
import * as PeopleHandlers from "./PeopleHandlers.ts"
import * as RateLimits from "./RateLimits.ts"
import * as RequestValidationLive from "./RequestValidationLive.ts"
import * as SecurityLive from "./SecurityLive.ts"
import { ServerConfig, type Settings } from "./ServerConfig.ts"
import * as SystemHandlers from "./SystemHandlers.ts"
import * as ThrottleLive from "./ThrottleLive.ts"
import * as UseCases from "./UseCases.ts"
import * as WaitlistHandlers from "./WaitlistHandlers.ts"

/**
 * The services every route of the server may use.
 *
 * @since 0.1.0
 * @category models
 */
export type RouteServices =
  | Ids.Ids
  | Transactor.Transactor
  | AuditLog.AuditLog
  | Outbox.Outbox
  | Idempotency.IdempotencyStore
  | Jobs.JobClaims
  | IdentityRepos.AccountRepo
  | IdentityRepos.OrgRepo
  | IdentityRepos.MembershipRepo
  | IdentityRepos.SessionRepo
  | IdentityRepos.InvitationRepo
  | IdentityRepos.PasswordResetRepo
  | InventoryRepos.SiteRepo
  | InventoryRepos.TagRepo
  | InventoryRepos.ResourceRepo
  | InventoryRepos.UnitRepo
  | InventoryRepos.PartRepo
  | Ledger.Ledger
  | BookingRepos.BookingRepo
  | BookingRepos.FineRepo
  | CrewRepos.ProjectRepo
  | CrewRepos.MissionRepo
  | CrewRepos.AssignmentRepo
  | CrewRepos.AvailabilityRepo
  | CrewRepos.RateProfileRepo
  | InterventionRepos.InterventionRepo
  | InterventionRepos.TimelineRepo
  | InterventionRepos.PartUseRepo
  | InterventionRepos.DocumentRepo
  | InterventionRepos.DocumentStore
  | Auth.Auth
  | Orgs.Orgs
  | Members.Members
  | Invitations.Invitations
  | Sites.Sites
  | Tags.Tags
  | Resources.Resources
  | Units.Units
  | Parts.Parts
  | Bookings.Bookings
  | Fines.Fines
  | Schedule.Schedule
  | Waitlist.Waitlist
  | Offers.Offers
  | WaitlistRepo.WaitlistRepo
  | Projects.Projects
  | Missions.Missions
  | Assignments.Assignments
  | Availabilities.Availabilities
  | RateProfiles.RateProfiles
  | Interventions.Interventions
  | Documents.Documents
  | PasswordHasher.PasswordHasher
  | TokenSigner.TokenSigner
  | SqlClient.SqlClient
  | ServerConfig
  | LogSink

/**
 * The routes of an API (Rota's, or one extending it) with the platform routes and the edge
 * middleware. The caller provides the API's handler layers, then {@link apiMiddleware}.
 *
 * @since 0.1.0
 * @category layers
 */
export const routesFor = <Id extends string, Groups extends HttpApiGroup.Constraint>(
  api: HttpApi.HttpApi<Id, Groups>
) =>
  Layer.mergeAll(
    HttpApiBuilder.layer(api, { openapiPath: "/openapi.json" }),
    HttpApiScalar.layer(api, { path: "/docs" }),
    MetricsRoute.layer,
    Edge.layer.pipe(Layer.provide(AllowedMethods.layerFor(api))),
    Cors.layer
  )

/**
 * The handlers of every group of the Rota API, with the use cases they call.
 *
 * @since 0.1.0
 * @category layers
 */
export const handlers = Layer.mergeAll(
  SystemHandlers.layer,
  AuthHandlers.layer,
  OrgsHandlers.layer,
  PeopleHandlers.layer,
  InvitationsHandlers.layer,
  AuditHandlers.layer,
  InventoryHandlers.layer,
  BookingsHandlers.layer,
  CrewsHandlers.layer,
  InterventionsHandlers.layer,
  WaitlistHandlers.layer
).pipe(Layer.provideMerge(UseCases.layer))

/**
 * The API middlewares that handler layers need: decoding failures, idempotency keys,
 * authentication and tenant resolution.
 *
 * @since 0.1.0
 * @category layers
 */
export const apiMiddleware = Layer.mergeAll(
  RequestValidationLive.layer,
  RequestValidationLive.inputGuard,
  IdempotencyLive.layer,
  SecurityLive.authentication,
  SecurityLive.tenant,
  ThrottleLive.authThrottle
).pipe(
  Layer.provide(UseCases.layer),
  Layer.provide(Layer.mergeAll(RateLimits.RateLimits.layer, ThrottleLive.TrustedProxies.layer))
)

/**
 * Every route of the Rota server, needing only the store and the settings.
 *
 * @since 0.1.0
 * @category layers
 */
export const routes = Layer.mergeAll(
  routesFor(Api).pipe(Layer.provide(handlers), Layer.provide(apiMiddleware)),
  DemoData.layer.pipe(Layer.provide(UseCases.layer))
)

/**
 * The store chosen by the settings, migrated.
 *
 * @since 0.1.0
 * @category layers
 */
export const storage = (settings: Settings) =>
  Migrations.layer.pipe(
    Layer.provideMerge(
      Database.layer({
        url: settings.databaseUrl,
        dataDir: settings.dataDir,
        maxConnections: settings.databasePoolSize,
        timeouts: settings.databaseTimeouts
      })
    )
  )

/**
 * The listening server for `settings` on the given store (already migrated), with its logs and
 * graceful shutdown. Exposes the `HttpServer`, whose address tells where it listens.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerOn = <E>(
  settings: Settings,
  store: Layer.Layer<SqlClient.SqlClient, E>,
  logSink: Layer.Layer<LogSink> = LogSink.layerStdout
) => serve(settings, store, routes, logSink)

/**
 * Where outbox messages go: secret links to the mail folder, the rest to the log.
 *
 * @since 0.1.0
 * @category layers
 */
export const outboxTransport = Notifications.layerTransport.pipe(
  Layer.provide(Layer.mergeAll(FileMailbox.layer, UseCases.tokenSigner))
)

/**
 * Serves any routes layer (normally {@link routes}) the way {@link layerOn} does. The routes
 * (and demo data) are ready before the port opens; on release the server drains first (see
 * `NodeServer`), then the jobs and the store stop.
 *
 * @since 0.1.0
 * @category layers
 */
export const serve = <E, A, RE, RR>(
  settings: Settings,
  store: Layer.Layer<SqlClient.SqlClient, E>,
  app: Layer.Layer<A, RE, RR>,
  logSink: Layer.Layer<LogSink> = LogSink.layerStdout
) =>
  Layer.effectDiscard(
    Effect.flatMap(Effect.service(NodeServer.NodeServer), (server) =>
      Effect.addFinalizer(() => server.shutdown)
    )
  ).pipe(
    Layer.provideMerge(HttpRouter.serve(app, { disableLogger: true, disableListenLog: true })),
    Layer.provideMerge(NodeServer.layerHttpServer(settings)),
    Layer.provideMerge(settings.jobs ? BackgroundJobs.layer : Layer.empty),
    Layer.provideMerge(outboxTransport),
    Layer.provideMerge(Ids.Ids.layer),
    Layer.provideMerge(Storage.layer),
    Layer.provide(store),
    Layer.provideMerge(NodeServer.layer(settings)),
    Layer.provide(jsonLogger),
    Layer.provide(Layer.succeed(References.MinimumLogLevel, settings.logLevel)),
    Layer.provide(ServerConfig.layer(settings)),
    Layer.provideMerge(logSink)
  )

/**
 * The listening server with the store its settings choose.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (settings: Settings) => layerOn(settings, storage(settings))
