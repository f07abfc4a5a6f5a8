/**
 * The Node HTTP server Rota listens with, and how it stops. Node's timeouts drop clients that
 * send their headers or request too slowly. While the handler is not attached (start-up, or
 * after the shutdown grace) a request is answered with a 503 problem at once instead of hanging.
 * On shutdown the server stops accepting connections, closes idle keep-alive connections, lets
 * in-flight requests finish with `Connection: close` (so clients reconnect elsewhere), and cuts
 * what is left when the grace ends.
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Context, Duration, Effect, Layer, Schema } from "effect"
import { HttpServer } from "effect/http"
import type { SocketAddress } from "effect/net/NetAddress"
import * as Problems from "../api/Problems.ts"
import type { Settings } from "./ServerConfig.ts"

/**
 * What a shutdown did with the requests it found or received.
 *
 * @since 0.1.0
 * @category models
 */
export interface ShutdownReport {
  /** Requests in flight when the shutdown started. */
  readonly inFlight: number
  /** Requests (in flight, or arriving on open connections) answered during the grace. */
  readonly drained: number
  /** Requests whose connection was cut when the grace ended. */
  readonly aborted: number
}

/**
 * The Node server, not yet listening, and its shutdown.
 *
 * @since 0.1.0
 * @category services
 */
export class NodeServer extends Context.Service<
  NodeServer,
  {
    readonly server: Server
    /** Stops accepting connections and drains the open ones within the grace. */
    readonly shutdown: Effect.Effect<ShutdownReport>
    /** The report of a shutdown that ran, for the last log line. */
    readonly report: () => ShutdownReport | undefined
  }
>()("@rota/http/NodeServer") {}

const encodeUnavailable = Schema.encodeSync(Problems.Unavailable)

// Node's `request` listeners are this module's plus, once attached, the app's.
const unavailable = (request: IncomingMessage, response: ServerResponse) => {
  const body = JSON.stringify(
    encodeUnavailable(
      new Problems.Unavailable({
        requestId: randomUUID(),
        detail: "The server is starting or stopping; retry shortly."
      })
    )
  )
  request.resume()
  response.writeHead(503, {
    "content-type": "application/problem+json",
    "content-length": Buffer.byteLength(body),
    "retry-after": "1",
    connection: "close"
  })
  response.end(body)
}

/**
 * Creates the server with the settings' timeouts.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (settings: Settings): NodeServer["Service"] => {
  const requestTimeout = settings.requestTimeoutSeconds * 1000
  const headersTimeout = settings.headersTimeoutSeconds * 1000
  const server = createServer({
    // Node refuses a headers timeout longer than the request timeout.
    headersTimeout: requestTimeout > 0 ? Math.min(headersTimeout, requestTimeout) : headersTimeout,
    requestTimeout,
    keepAliveTimeout: settings.keepAliveTimeoutSeconds * 1000,
    // Both timeouts are only checked this often (Node's default, 30 s, let slow clients stay ~74 s).
    connectionsCheckingInterval: 1000
  })
  const open = new Set<ServerResponse>()
  let draining = false
  let drained = 0
  let report: ShutdownReport | undefined

  const track =
    (event: "request" | "checkContinue") => (request: IncomingMessage, response: ServerResponse) => {
      if (draining) response.setHeader("connection", "close")
      open.add(response)
      response.once("close", () => {
        open.delete(response)
        if (draining && response.writableFinished) drained++
      })
      if (server.listenerCount(event) === 1) unavailable(request, response)
    }
  server.on("request", track("request"))
  server.on("checkContinue", track("checkContinue"))

  const shutdown = Effect.gen(function* () {
    const inFlight = open.size
    draining = true
    for (const response of open) if (!response.headersSent) response.setHeader("connection", "close")
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    // `close` drops the connections idle now; busy ones close after their `Connection: close` answer.
    server.closeIdleConnections()
    yield* Effect.logInfo("shutdown started", { inFlight, graceSeconds: settings.shutdownGraceSeconds })
    const finished = yield* Effect.timeoutOption(
      Effect.promise(() => closed),
      Duration.seconds(settings.shutdownGraceSeconds)
    )
    const aborted = finished._tag === "None" ? open.size : 0
    // Cutting a connection interrupts its request, whose clean-up (rollback, idempotency key) runs.
    if (finished._tag === "None") server.closeAllConnections()
    report = { inFlight, drained, aborted }
    return report
  })

  return { server, shutdown, report: () => report }
}

/**
 * The server for `settings`; once it is released, logs that the shutdown finished.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (settings: Settings): Layer.Layer<NodeServer> =>
  Layer.effect(
    NodeServer,
    Effect.gen(function* () {
      const nodeServer = make(settings)
      yield* Effect.addFinalizer(() => {
        const report = nodeServer.report()
        return report === undefined ? Effect.void : Effect.logInfo("shutdown finished", { ...report })
      })
      return nodeServer
    })
  )

/**
 * The `HttpServer` over {@link NodeServer}. It listens only once the app is served (so never
 * before every route is ready): its address is known from then on.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerHttpServer = (
  settings: Settings
): Layer.Layer<
  HttpServer.HttpServer | Layer.Success<typeof NodeHttpServer.layerHttpServices>,
  never,
  NodeServer
> =>
  Layer.effect(
    HttpServer.HttpServer,
    Effect.map(Effect.service(NodeServer), ({ server }) => makeHttpServer(server, settings))
  ).pipe(Layer.provideMerge(NodeHttpServer.layerHttpServices))

/**
 * The `HttpServer` that listens on `server` once the app is served.
 *
 * @since 0.1.0
 * @category constructors
 */
export const makeHttpServer = (server: Server, settings: Settings): HttpServer.HttpServer["Service"] => {
  let address: SocketAddress | undefined
  return HttpServer.make({
    get address(): SocketAddress {
      if (address === undefined) throw new Error("The server listens once the app is served")
      return address
    },
    // Untraced, as the platform's own `serve` is: requests run with the services of the fiber
    // that called it, so a span here would parent every request's trace while the server lives.
    serve: Effect.fnUntraced(function* (httpEffect, middleware) {
      const listening = yield* NodeHttpServer.make(() => server, {
        port: settings.port,
        host: settings.host,
        // `NodeServer.shutdown` has drained by then; this only bounds a second wait.
        gracefulShutdownTimeout: Duration.seconds(settings.shutdownGraceSeconds)
      }).pipe(Effect.orDie)
      address = listening.address
      yield* middleware === undefined ? listening.serve(httpEffect) : listening.serve(httpEffect, middleware)
    })
  })
}
