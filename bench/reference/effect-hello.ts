/**
 * The framework's own floor for `/health`: a bare Effect HttpApi with one endpoint answering the
 * same JSON, served by `@effect/platform-node` with no middleware. Rota's `/health` is this plus
 * its edge (request id, security headers, access log, metrics, span) and its other routes, so the
 * pair of ratios says how much of the gap to raw `node:http` is the framework and how much Rota's.
 */
import { createServer } from "node:http"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Effect, Layer, Schema } from "effect"
import { HttpRouter, HttpServer } from "effect/http"
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "effect/http-api"

const Api = HttpApi.make("hello").add(
  HttpApiGroup.make("system", { topLevel: true }).add(
    HttpApiEndpoint.get("health", "/health", { success: Schema.Struct({ status: Schema.Literal("ok") }) })
  )
)

const Handlers = HttpApiBuilder.group(Api, "system", (handlers) =>
  handlers.handle("health", () => Effect.succeed({ status: "ok" as const }))
)

const Announce = Layer.effectDiscard(
  HttpServer.addressFormattedWith((address) =>
    Effect.sync(() => process.stdout.write(`listening on ${address}\n`))
  )
)

const Served = HttpRouter.serve(HttpApiBuilder.layer(Api), {
  disableLogger: true,
  disableListenLog: true
}).pipe(
  Layer.provide(Handlers),
  Layer.merge(Announce),
  Layer.provide(NodeHttpServer.layer(createServer, { port: 0, host: "127.0.0.1" }))
)

NodeRuntime.runMain(Layer.launch(Served))
