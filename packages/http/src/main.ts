#!/usr/bin/env node
/**
 * `npm start`: serves Rota on PostgreSQL (`DATABASE_URL`) or on the embedded store in
 * `ROTA_DATA_DIR`, and stops gracefully on SIGINT/SIGTERM.
 *
 * @since 0.1.0
 */
import { mkdirSync } from "node:fs"
import { createServer } from "node:net"
import { resolve } from "node:path"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Effect, Exit, Layer, Option } from "effect"
import { HttpServer, HttpServerError } from "effect/http"
import { SqlError } from "effect/sql"
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

// What an operator can fix, said in one line each on stderr; anything else is a bug and keeps
// its full report.
const refusal = (
  cause: Cause.Cause<unknown>,
  settings: ServerConfig.Settings | undefined
): Array<string> | undefined => {
  const error = Option.getOrUndefined(Cause.findErrorOption(cause))
  if (error instanceof ServerConfig.InvalidConfig) return [...error.problems]
  const reason = error ?? cause.reasons.find(Cause.isDieReason)?.defect
  if (reason instanceof HttpServerError.ServeError) {
    const code = (reason.cause as { code?: unknown } | undefined)?.code
    const where = settings === undefined ? "the port" : `${settings.host}:${settings.port}`
    return [listenProblem(code, where)]
  }
  if (SqlError.isSqlError(reason)) return [`the database cannot be used: ${reason.message}`]
  return undefined
}

let refused = false

const listenProblem = (code: unknown, where: string) =>
  code === "EADDRINUSE"
    ? `${where} is already in use: stop the other server or set PORT to a free port`
    : code === "EACCES"
      ? `no permission to listen on ${where}: choose a PORT above 1023`
      : code === "EADDRNOTAVAIL"
        ? `HOST in ${where} is not an address of this machine`
        : `cannot listen on ${where} (${String(code)})`

// Listens and closes at once: the answer says whether the real server could listen there.
const probePort = (host: string, port: number) =>
  new Promise<string | undefined>((resolve) => {
    if (port === 0) return resolve(undefined)
    const probe = createServer()
    probe.once("error", (error: NodeJS.ErrnoException) =>
      resolve(listenProblem(error.code, `${host}:${port}`))
    )
    probe.listen({ host, port, exclusive: true }, () => probe.close(() => resolve(undefined)))
  })

const main = Effect.gen(function* () {
  const settings = yield* ServerConfig.fromEnvironment
  // A taken port is found before the store opens, so the answer is one line, not a wait.
  const portProblem = yield* Effect.promise(() => probePort(settings.host, settings.port))
  if (portProblem !== undefined) {
    refused = true
    process.stderr.write(`rota: ${portProblem}\nrota: not started\n`)
    return yield* Effect.fail(new HttpServerError.ServeError({ cause: portProblem }))
  }
  if (settings.databaseUrl === undefined && settings.dataDir !== undefined)
    mkdirSync(settings.dataDir, { recursive: true })
  return yield* Layer.launch(banner.pipe(Layer.provideMerge(Server.layer(settings)))).pipe(
    Effect.provideService(ServerConfig.ServerConfig, settings),
    Effect.onError((cause) => reportRefusal(cause, settings))
  )
}).pipe(Effect.onError((cause) => reportRefusal(cause, undefined)))

const reportRefusal = (cause: Cause.Cause<unknown>, settings: ServerConfig.Settings | undefined) =>
  Effect.sync(() => {
    if (refused) return
    const lines = refusal(cause, settings)
    if (lines === undefined) return
    refused = true
    process.stderr.write(`${lines.map((line) => `rota: ${line}`).join("\n")}\nrota: not started\n`)
  })

// SIGINT/SIGTERM interrupt the server, which drains its connections (see NodeServer.ts) and the
// store before the process ends: a clean stop, exit 0. `npm start` execs this process, so a
// signal sent to npm arrives here. A refusal already explained on stderr exits 1 without a
// stack trace.
NodeRuntime.runMain(main, {
  disableErrorReporting: true,
  teardown: (exit, onExit) => {
    if (Exit.isSuccess(exit)) return onExit(0)
    if (Cause.hasInterruptsOnly(exit.cause)) return onExit(0)
    if (!refused) process.stderr.write(`${Cause.pretty(exit.cause)}\n`)
    onExit(1)
  }
})
