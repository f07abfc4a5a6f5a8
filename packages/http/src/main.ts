#!/usr/bin/env node
/**
 * `npm start`: serves Rota on PostgreSQL (`DATABASE_URL`) or on the embedded store in
 * `ROTA_DATA_DIR`, and stops gracefully on SIGINT/SIGTERM.
 *
 * @since 0.1.0
 */
import { mkdirSync } from "node:fs"
import { resolve } from "node:path"
import { NodeRuntime } from "@effect/platform-node"
import { Cause, Effect, Exit, Layer, Runtime } from "effect"
import { HttpServer } from "effect/http"
import { DemoData, Server, ServerConfig } from "./index.ts"

const banner = Layer.effectDiscard(
  Effect.gen(function* () {
    const server = yield* HttpServer.HttpServer
    const settings = yield* ServerConfig.ServerConfig
    const demo = yield* DemoData.DemoData
    const url = HttpServer.formatAddress(server.address)
    const store =
      settings.databaseUrl !== undefined
        ? "PostgreSQL"
        : settings.dataDir === undefined
          ? "in-memory embedded store"
          : `embedded store in ${resolve(settings.dataDir)}`
    const lines = [
      "",
      `Rota is listening on ${url} (${store})`,
      `  API reference: ${url}/docs`,
      `  OpenAPI:       ${url}/openapi.json`
    ]
    if (demo.present) {
      lines.push(`  Demo logins (password "${DemoData.password}"):`)
      for (const login of DemoData.logins) {
        lines.push(`    ${login.username.padEnd(9)} ${login.role.padEnd(11)} ${login.org}`)
      }
    }
    process.stdout.write(`${lines.join("\n")}\n\n`)
  })
)

const main = Effect.gen(function* () {
  const settings = yield* ServerConfig.ServerConfig
  if (settings.databaseUrl === undefined && settings.dataDir !== undefined)
    mkdirSync(settings.dataDir, { recursive: true })
  return yield* Layer.launch(banner.pipe(Layer.provideMerge(Server.layer(settings))))
}).pipe(Effect.provide(ServerConfig.ServerConfig.layerFromEnv))

// SIGINT/SIGTERM interrupt the server, which drains its connections (see NodeServer.ts) and the
// store before the process ends: a clean stop, exit 0. `npm start` execs this process, so a
// signal sent to npm arrives here.
NodeRuntime.runMain(main, {
  teardown: (exit, onExit) =>
    Exit.isFailure(exit) && Cause.hasInterruptsOnly(exit.cause)
      ? onExit(0)
      : Runtime.defaultTeardown(exit, onExit)
})
