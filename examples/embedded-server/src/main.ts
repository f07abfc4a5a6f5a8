/**
 * Embeds the Rota server in a plain Node program: start it on a free port with an in-memory
 * store, call it through the SDK, stop it. Set `databaseUrl` or `dataDir` to keep data.
 */
import { Server, ServerConfig } from "@rota/http"
import { createClient } from "@rota/sdk-client"
import { Effect, ManagedRuntime } from "effect"
import { HttpServer } from "effect/http"

const settings: ServerConfig.Settings = {
  ...ServerConfig.defaults,
  port: 0,
  accessLog: false,
  dataDir: undefined
}

// The runtime owns the server: it starts on first use and stops, gracefully, on dispose().
const runtime = ManagedRuntime.make(Server.layer(settings))
const url = await runtime.runPromise(
  Effect.map(Effect.service(HttpServer.HttpServer), (server) => HttpServer.formatAddress(server.address))
)

const rota = createClient({ baseUrl: url })
const health = await rota.health()
console.log(`Rota ${health.version} answers "${health.status}" at ${url}`)

await rota.dispose()
await runtime.dispose()
