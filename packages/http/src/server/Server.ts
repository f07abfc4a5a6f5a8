/**
 * Wires the server: the store, the API handlers, the platform routes (`/metrics`, `/healthz`,
 * `/docs`, `/openapi.json`) and the edge middleware, served over Node's HTTP server.
 *
 * @since 0.1.0
 */
import type * as NodeServices from "@effect/platform-node/NodeServices"
import { Ids, type Mail, NotificationDispatch, type Outbox, type WebhookTransport } from "@rota/core"
import { Database, Migrations, Storage } from "@rota/storage-pg"
import { Effect, Layer, References } from "effect"
import type { Etag, HttpPlatform, HttpRouter, HttpServer } from "effect/http"
import { type HttpApi, HttpApiBuilder, type HttpApiGroup, HttpApiScalar } from "effect/http-api"
import type { SqlClient, SqlError } from "effect/sql"
import { Api } from "../api/Api.ts"
import type { IdempotencyRequired, Idempotent } from "../api/Idempotency.ts"
import type { InputGuard, RequestValidation } from "../api/RequestValidation.ts"
import type { Authentication, AuthThrottle, PublicThrottle, Tenant } from "../api/Security.ts"
import * as FileMailbox from "./adapters/FileMailbox.ts"
import { LogSink, loggerFor } from "./adapters/LogSink.ts"
import * as BackgroundJobs from "./BackgroundJobs.ts"
import * as DemoData from "./DemoData.ts"
import { AllowedMethods } from "./edge/AllowedMethods.ts"
import * as CacheInvalidation from "./edge/CacheInvalidation.ts"
import * as Cors from "./edge/Cors.ts"
import * as Edge from "./edge/Edge.ts"
import * as IdempotencyLive from "./edge/IdempotencyLive.ts"
import * as RateLimits from "./edge/RateLimits.ts"
import * as RequestValidationLive from "./edge/RequestValidationLive.ts"
import * as ResponseCache from "./edge/ResponseCache.ts"
import * as SecurityLive from "./edge/SecurityLive.ts"
import * as ThrottleLive from "./edge/ThrottleLive.ts"
import * as Tracing from "./edge/Tracing.ts"
import * as ApiHandlers from "./handlers/ApiHandlers.ts"
import * as DocsPage from "./handlers/DocsPage.ts"
import * as IntakeForm from "./handlers/IntakeForm.ts"
import * as MetricsRoute from "./handlers/MetricsRoute.ts"
import * as ProbeRoutes from "./handlers/ProbeRoutes.ts"
import * as NodeServer from "./NodeServer.ts"
import * as RouterServe from "./RouterServe.ts"
import { ServerConfig, type Settings } from "./ServerConfig.ts"
import * as UseCases from "./UseCases.ts"

/**
 * What a running server exposes besides its routes' own services: the storage ports, the outbox
 * and webhook transports, the log sink and the listening HTTP server, whose address tells where
 * it listens.
 *
 * @since 0.1.0
 * @category models
 */
export type Services =
  | Storage.Services
  | Ids.Ids
  | Outbox.OutboxTransport
  | WebhookTransport.WebhookTargets
  | WebhookTransport.WebhookSecrets
  | WebhookTransport.WebhookSender
  | LogSink
  | NodeServer.NodeServer
  | HttpServer.HttpServer
  | NodeServices.NodeServices
  | HttpPlatform.HttpPlatform
  | Etag.Generator
  | ResponseCache.ResponseCache

/**
 * What the routes given to {@link serve} may need: everything the server provides under them.
 *
 * @since 0.1.0
 * @category models
 */
export type Provided =
  | Services
  | SqlClient.SqlClient
  | ServerConfig
  | HttpRouter.HttpRouter
  | HttpRouter.GlobalProvided

/**
 * The services a routes layer needs, its routes' and middlewares' included.
 *
 * @since 0.1.0
 * @category models
 */
export type RouteNeeds<R> =
  | HttpRouter.Request.Without<R>
  | HttpRouter.Request.Only<"Requires", R>
  | HttpRouter.Request.Only<"GlobalRequires", R>

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
    HttpApiScalar.layer(api, { path: "/docs", scalar: DocsPage.scalar }),
    DocsPage.layer,
    MetricsRoute.layer,
    ProbeRoutes.layer,
    Edge.layer.pipe(Layer.provide(AllowedMethods.layerFor(api))),
    Cors.layer,
    CacheInvalidation.invalidation
  )

/**
 * The handlers of every group of the Rota API, with the use cases they call.
 *
 * @since 0.1.0
 * @category layers
 */
export const handlers = ApiHandlers.layer

/**
 * The API middlewares that handler layers need: decoding failures, idempotency keys,
 * authentication and tenant resolution.
 *
 * @since 0.1.0
 * @category layers
 */
export const apiMiddleware: Layer.Layer<
  | RequestValidation
  | InputGuard
  | Idempotent
  | IdempotencyRequired
  | Authentication
  | Tenant
  | AuthThrottle
  | PublicThrottle,
  never,
  Storage.Services | Ids.Ids | ServerConfig | ResponseCache.ResponseCache | SqlClient.SqlClient
> = Layer.mergeAll(
  RequestValidationLive.layer,
  RequestValidationLive.inputGuard,
  IdempotencyLive.layer,
  SecurityLive.authentication,
  SecurityLive.tenant,
  ThrottleLive.authThrottle,
  ThrottleLive.publicThrottle
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
export const routes: Layer.Layer<DemoData.DemoData, never, Provided> = Layer.mergeAll(
  routesFor(Api).pipe(Layer.provide(handlers), Layer.provide(apiMiddleware)),
  DemoData.layer.pipe(Layer.provide(UseCases.layer)),
  IntakeForm.layer.pipe(Layer.provide(UseCases.layer))
)

/**
 * The store chosen by the settings, migrated.
 *
 * @since 0.1.0
 * @category layers
 */
export const storage = (settings: Settings): Layer.Layer<SqlClient.SqlClient, SqlError.SqlError> =>
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
): Layer.Layer<Services | DemoData.DemoData, E> => serve(settings, store, routes, logSink)

/**
 * Where mail goes: the SMTP server of `SMTP_URL`, else the mail folder. The SMTP client
 * (nodemailer) is loaded only by a server that has an `SMTP_URL`.
 *
 * @since 0.1.0
 * @category layers
 */
export const mailbox: Layer.Layer<Mail.Mailbox, never, ServerConfig> = Layer.unwrap(
  Effect.map(Effect.service(ServerConfig), (settings) =>
    settings.smtpUrl === undefined
      ? FileMailbox.layer
      : Layer.unwrap(
          Effect.map(
            Effect.promise(() => import("./adapters/SmtpMailbox.ts")),
            (smtp) => smtp.layer
          )
        )
  )
)

/**
 * Where outbox messages go: notifications to the people they concern (in-app and mail, secret
 * links by mail only), and every message without a secret to the log.
 *
 * @since 0.1.0
 * @category layers
 */
export const outboxTransport: Layer.Layer<
  Outbox.OutboxTransport,
  never,
  ServerConfig | Storage.Services | Ids.Ids | SqlClient.SqlClient
> = NotificationDispatch.layerTransport.pipe(Layer.provide(Layer.mergeAll(mailbox, UseCases.tokenSigner)))

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
): Layer.Layer<A | Services, E | HttpRouter.Request.Without<RE>, Exclude<RouteNeeds<RR>, Provided>> => {
  // The background jobs start last, once the routes are built (on a new embedded store that
  // includes loading the demo data): on PGlite's single session, jobs started earlier queued
  // ahead of the start-up's statements, which on a loaded machine then timed out waiting for it.
  // Built last, they also stop first on shutdown, before the server drains.
  const served = (settings.jobs ? BackgroundJobs.layer : Layer.empty).pipe(
    Layer.provideMerge(
      Layer.effectDiscard(
        Effect.flatMap(Effect.service(NodeServer.NodeServer), (server) =>
          Effect.addFinalizer(() => server.shutdown)
        )
      )
    ),
    Layer.provideMerge(
      // Signed link tokens travel as a path segment (the intake form's); the default of 100
      // characters would answer them 404.
      RouterServe.serve(app, Storage.layer, { maxParamLength: 1024 })
    ),
    Layer.provideMerge(NodeServer.layerHttpServer(settings)),
    Layer.provideMerge(CacheInvalidation.invalidatingTransport.pipe(Layer.provide(outboxTransport))),
    Layer.provideMerge(ResponseCache.ResponseCache.layer),
    Layer.provideMerge(UseCases.webhookTransport),
    Layer.provideMerge(Ids.Ids.layer),
    // Requests note the orgs their outbox messages name, which the response cache then bumps.
    Layer.provideMerge(CacheInvalidation.trackedOutbox),
    Layer.provideMerge(Storage.layer),
    Layer.provide(store),
    Layer.provideMerge(NodeServer.layer(settings)),
    Layer.provide(loggerFor(settings.logFormat)),
    Layer.provide(Tracing.layer(settings)),
    Layer.provide(Layer.succeed(References.MinimumLogLevel, settings.logLevel)),
    Layer.provide(ServerConfig.layer(settings)),
    Layer.provideMerge(logSink)
  )
  // TypeScript cannot fold the nested `Exclude`s this pipeline builds over a generic RR into the
  // one declared; the two are equal for every concrete routes layer.
  return served as unknown as Layer.Layer<
    A | Services,
    E | HttpRouter.Request.Without<RE>,
    Exclude<RouteNeeds<RR>, Provided>
  >
}

/**
 * The listening server with the store its settings choose.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (settings: Settings): Layer.Layer<Services | DemoData.DemoData, SqlError.SqlError> =>
  layerOn(settings, storage(settings))
