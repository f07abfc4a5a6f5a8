import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { Database, Migrations } from "@rota/storage-pg"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Context, Effect, Layer, ManagedRuntime, Redacted, Schema } from "effect"
import { HttpServer } from "effect/http"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import * as Reactivity from "effect/reactivity/Reactivity"
import {
  Api,
  Authentication,
  IdempotencyKeyHeader,
  Idempotent,
  InputGuard,
  RequestValidation,
  Tenant
} from "../src/api.ts"
import { Server } from "../src/index.ts"
import { settings } from "../src/testing/TestServer.ts"
import { TestServer } from "../src/testing.ts"
import * as Connection from "./fixtures/Connection.ts"
import * as Stores from "./fixtures/Stores.ts"

class SlowGroup extends HttpApiGroup.make("slow")
  .add(HttpApiEndpoint.get("slow", "/test/slow", { success: Schema.Struct({ done: Schema.Boolean }) }))
  .middleware(InputGuard)
  .middleware(RequestValidation) {}

// A write that holds its first request until the client gives up, and answers the others.
class HeldGroup extends HttpApiGroup.make("held")
  .add(
    HttpApiEndpoint.post("hold", "/test/hold", {
      headers: IdempotencyKeyHeader,
      success: Schema.Struct({ done: Schema.Boolean })
    }).middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .middleware(RequestValidation) {}

const SlowApi = Api.add(SlowGroup).add(HeldGroup)

let holds = 0
let held: () => void = () => undefined
const firstHeld = new Promise<void>((resolve) => (held = resolve))

const SlowHandlers = Layer.mergeAll(
  HttpApiBuilder.group(SlowApi, "slow", (handlers) =>
    handlers.handle("slow", () => Effect.as(Effect.sleep("600 millis"), { done: true }))
  ),
  HttpApiBuilder.group(SlowApi, "held", (handlers) =>
    handlers.handle("hold", () =>
      Effect.suspend(() => {
        holds++
        if (holds > 1) return Effect.succeed({ done: true })
        held()
        return Effect.never
      })
    )
  )
)

const slowServer = (overrides: Parameters<typeof settings>[0]) =>
  ManagedRuntime.make(
    Server.serve(
      settings(overrides),
      Stores.stores()[0]!.layer,
      Server.routesFor(SlowApi).pipe(
        Layer.provide([SlowHandlers, Server.handlers]),
        Layer.provide(Server.apiMiddleware)
      )
    )
  )

const urlOf = Effect.map(Effect.service(HttpServer.HttpServer), (server) =>
  HttpServer.formatAddress(server.address)
)

describe("the server's lifecycle", () => {
  it("finishes in-flight requests when it stops, and refuses new ones", async () => {
    const runtime = slowServer({ shutdownGraceSeconds: 5 })
    const url = await runtime.runPromise(urlOf)
    const inFlight = fetch(`${url}/test/slow`)
    await new Promise((resolve) => setTimeout(resolve, 150))
    const stopped = runtime.dispose()
    const answer = await inFlight
    assert.strictEqual(answer.status, 200)
    assert.deepStrictEqual(await answer.json(), { done: true })
    await stopped
    const refused = await fetch(`${url}/health`).then(
      () => "answered",
      () => "refused"
    )
    assert.strictEqual(refused, "refused")
  }, 60_000)

  it("a request cut off before its answer frees its idempotency key, so a retry runs at once", async () => {
    const runtime = slowServer({})
    try {
      const url = await runtime.runPromise(urlOf)
      const name = `held${Math.random().toString(36).slice(2, 8)}`
      const registered = (await (
        await fetch(`${url}/v1/auth/register`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            email: `${name}@example.test`,
            username: name,
            password: `Correct-Horse-${name}`,
            fullName: `Person ${name}`,
            orgName: `Org of ${name}`
          })
        })
      ).json()) as { accessToken: string; org: { id: string } }
      const hold = (signal?: AbortSignal) =>
        fetch(`${url}/test/hold`, {
          method: "POST",
          headers: {
            authorization: `Bearer ${registered.accessToken}`,
            "x-org-id": registered.org.id,
            "idempotency-key": "cut-off-once"
          },
          ...(signal === undefined ? {} : { signal })
        })
      const client = new AbortController()
      const first = hold(client.signal).catch(() => "aborted")
      await firstHeld
      client.abort()
      assert.strictEqual(await first, "aborted")
      // The key is freed as the interrupted request ends; without that it stays "in progress" for
      // a minute. A retry may arrive a moment before the release, so allow a few.
      let retry = await hold()
      for (let attempt = 0; attempt < 50 && retry.status === 409; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 200))
        retry = await hold()
      }
      assert.strictEqual(retry.status, 200, await retry.clone().text())
      assert.deepStrictEqual(await retry.json(), { done: true })
    } finally {
      await runtime.dispose()
    }
  }, 120_000)

  it("drops a client that sends its headers too slowly", async () => {
    const runtime = slowServer({ headersTimeoutSeconds: 2 })
    try {
      const url = await runtime.runPromise(urlOf)
      const connection = await Connection.open(url)
      const answer = connection.request("GET /health HTTP/1.1\r\nHost: rota.test\r\n").catch(() => undefined)
      // One header line a second, for far longer than the timeout: the server must hang up.
      for (let line = 0; line < 40 && !connection.isClosed(); line++) {
        connection.send(`X-Slow-${line}: ${line}\r\n`)
        await new Promise((resolve) => setTimeout(resolve, 1_000))
      }
      assert.isTrue(connection.isClosed(), "the server kept a client that never finished its headers")
      const status = (await answer)?.status
      assert.isTrue(status === undefined || status === 408, `answered ${status}`)
    } finally {
      await runtime.dispose()
    }
  }, 120_000)

  const base = process.env.DATABASE_URL
  if (base !== undefined) {
    it.effect(
      "/readyz answers 503 within 2 s when the database is gone, while /livez stays 200",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const { name, url } = yield* TestDatabase.migratedPostgresDatabase(base)
            const store = Migrations.layer.pipe(
              Layer.provideMerge(Database.layer({ url: Redacted.make(url) }))
            )
            const context = yield* Layer.build(TestServer.layer(store))
            const serverUrl = Context.get(context, TestServer.TestServer).url
            const status = (path: string) =>
              Effect.promise(() => fetch(`${serverUrl}${path}`).then((r) => r.status))
            assert.strictEqual(yield* status("/readyz"), 200)
            // The database goes away under the running server.
            yield* Effect.scoped(
              Effect.gen(function* () {
                const sql = yield* PgClient.make({ url: Redacted.make(base), maxConnections: 1 })
                yield* sql.unsafe(`ALTER DATABASE ${name} ALLOW_CONNECTIONS false`)
                yield* sql.unsafe(
                  `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${name}'`
                )
              })
            ).pipe(Effect.provide(Reactivity.layer), Effect.orDie)
            const started = Date.now()
            assert.strictEqual(yield* status("/readyz"), 503)
            assert.isBelow(Date.now() - started, 2_500)
            assert.strictEqual(yield* status("/livez"), 200)
            // A request that needs the database is told to retry, never shown internals.
            const login = yield* Effect.promise(() =>
              fetch(`${serverUrl}/v1/auth/login`, {
                method: "POST",
                headers: { "content-type": "application/json" },
                body: JSON.stringify({ login: "someone", password: "Whatever-123" })
              })
            )
            const problem = yield* Effect.promise(() => login.text())
            assert.strictEqual(login.status, 503, problem)
            assert.strictEqual(login.headers.get("retry-after"), "1")
            assert.match(problem, /"code":"unavailable"/)
          })
        ),
      60_000
    )
  }
})
