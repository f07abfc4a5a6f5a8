/**
 * A real Rota server listening on a free loopback port, for tests of this package, the SDK and
 * the examples.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import { HttpServer, type HttpServerError } from "effect/http"
import type { SqlClient } from "effect/sql"
import type { LogSink } from "../server/LogSink.ts"
import * as Server from "../server/Server.ts"
import { defaults, type Settings } from "../server/ServerConfig.ts"

/**
 * Where the test server listens.
 *
 * @since 0.1.0
 * @category services
 */
export class TestServer extends Context.Service<TestServer, { readonly url: string }>()(
  "@rota/http/TestServer"
) {}

/**
 * Test settings: a free port, no access log, no demo data, no background jobs, no rate limits
 * (tests about rate limits turn them back on).
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
  shutdownGraceSeconds: 2,
  ...overrides
})

/**
 * Serves Rota on `store` (migrated) for the lifetime of the layer.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = <E>(
  store: Layer.Layer<SqlClient.SqlClient, E>,
  overrides: Partial<Settings> = {},
  sink?: Layer.Layer<LogSink>
): Layer.Layer<TestServer | SqlClient.SqlClient, E | HttpServerError.ServeError> =>
  Layer.effect(
    TestServer,
    Effect.map(Effect.service(HttpServer.HttpServer), (server) => ({
      url: HttpServer.formatAddress(server.address)
    }))
  ).pipe(Layer.provide(Server.layerOn(settings(overrides), store, sink)), Layer.provideMerge(store))
