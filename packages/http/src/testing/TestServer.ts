/**
 * A real Rota server listening on a free loopback port, for tests of this package, the SDK and
 * the examples.
 *
 * @since 0.1.0
 */
import { mkdtemp, rm } from "node:fs/promises"
import { tmpdir } from "node:os"
import { join } from "node:path"
import {
  type Ids,
  type NotificationRepos,
  Outbox,
  Reminders,
  type Transactor,
  WebhookDelivery,
  type WebhookRepo,
  type WebhookTransport
} from "@rota/core"
import { Context, Effect, Layer, References } from "effect"
import { HttpServer, type HttpServerError } from "effect/http"
import type { SqlClient } from "effect/sql"
import { jsonLogger, LogSink } from "../server/adapters/LogSink.ts"
import * as Server from "../server/Server.ts"
import { defaults, type Settings } from "../server/ServerConfig.ts"

/**
 * Where the test server listens, where its mail goes, and how to deliver its outbox now (the
 * test server runs no background jobs).
 *
 * @since 0.1.0
 * @category services
 */
export class TestServer extends Context.Service<
  TestServer,
  {
    readonly url: string
    /** The server's mail folder: one `<message id>.eml` file per delivered message. */
    readonly mailDir: string
    /** Delivers every due outbox message once; answers how many. */
    readonly deliverOutbox: Effect.Effect<number>
    /** Fans new outbox messages out to webhooks and attempts the due deliveries once. */
    readonly deliverWebhooks: Effect.Effect<WebhookDelivery.Run>
    /** Runs the reminder job once (bookings due soon, offers expiring); answers how many it sent. */
    readonly sendReminders: Effect.Effect<number>
  }
>()("@rota/http/TestServer") {}

/**
 * Test settings: a free port, no access log, no demo data, no background jobs, no rate limits
 * and no response cache (tests about them turn them back on; `ROTA_TEST_CACHE=memory` turns the
 * cache on for every test server).
 *
 * @since 0.1.0
 * @category constructors
 */
export const settings = (overrides: Partial<Settings> = {}): Settings => ({
  ...defaults,
  port: 0,
  accessLog: false,
  jobs: false,
  rateLimitAuth: 0,
  rateLimitApi: 0,
  rateLimitPublic: 0,
  cache: process.env.ROTA_TEST_CACHE === "memory" ? "memory" : "off",
  shutdownGraceSeconds: 2,
  ...overrides
})

/**
 * @since 0.1.0
 * @category models
 */
export interface Options {
  /** Collects the server's log lines here instead of writing them to stdout. */
  readonly logLines?: Array<string> | undefined
}

/**
 * Serves Rota on `store` (migrated) for the lifetime of the layer, with a fresh mail folder
 * removed afterwards.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <E>(
  store: Layer.Layer<SqlClient.SqlClient, E>,
  overrides: Partial<Settings> = {},
  options: Options = {}
): Layer.Layer<TestServer | SqlClient.SqlClient, E | HttpServerError.ServeError> =>
  Layer.unwrap(
    Effect.map(
      Effect.acquireRelease(
        Effect.promise(() => mkdtemp(join(tmpdir(), "rota-mail-"))),
        (folder) => Effect.promise(() => rm(folder, { recursive: true, force: true }))
      ),
      (mailDir) =>
        Layer.effect(
          TestServer,
          Effect.gen(function* () {
            const server = yield* HttpServer.HttpServer
            const context = yield* Effect.context<
              | Outbox.Outbox
              | Outbox.OutboxTransport
              | LogSink
              | NotificationRepos.ReminderRepo
              | Transactor.Transactor
              | Ids.Ids
            >()
            // Delivery logs where the server's own jobs would: to the server's log sink.
            const logger = Layer.merge(
              Layer.provide(jsonLogger, Layer.succeedContext(context)),
              Layer.succeed(References.MinimumLogLevel, settings(overrides).logLevel)
            )
            const webhooks = yield* Effect.context<
              | WebhookRepo.WebhookRepo
              | WebhookTransport.WebhookSecrets
              | WebhookTransport.WebhookSender
              | Transactor.Transactor
              | Ids.Ids
            >()
            // The server's retry settings, not the defaults.
            const webhookConfig = yield* WebhookDelivery.WebhookConfig
            return {
              url: HttpServer.formatAddress(server.address),
              mailDir,
              deliverOutbox: Outbox.deliverDue().pipe(Effect.provide(context), Effect.provide(logger)),
              deliverWebhooks: WebhookDelivery.deliverDue.pipe(
                Effect.provide(webhooks),
                Effect.provideService(WebhookDelivery.WebhookConfig, webhookConfig),
                Effect.provide(logger)
              ),
              sendReminders: Reminders.sendDue.pipe(Effect.provide(context), Effect.provide(logger))
            }
          })
        ).pipe(
          Layer.provide(
            Server.layerOn(
              settings({ mailDir, ...overrides }),
              store,
              options.logLines === undefined ? LogSink.layerStdout : LogSink.layerMemory(options.logLines)
            )
          ),
          Layer.provideMerge(store)
        )
    )
  )
