import { PgClient } from "@effect/sql-pg"
import { assert, describe, it } from "@effect/vitest"
import { Database, Migrations } from "@rota/storage-pg"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Context, Effect, Layer, ManagedRuntime, Redacted, Schema } from "effect"
import { HttpServer } from "effect/http"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import * as Reactivity from "effect/reactivity/Reactivity"
import { Api, InputGuard, RequestValidation } from "../src/api.ts"
import { Server } from "../src/index.ts"
import { settings } from "../src/testing/TestServer.ts"
import { TestServer } from "../src/testing.ts"

class SlowGroup extends HttpApiGroup.make("slow")
  .add(HttpApiEndpoint.get("slow", "/test/slow", { success: Schema.Struct({ done: Schema.Boolean }) }))
  .middleware(InputGuard)
  .middleware(RequestValidation) {}

const SlowApi = Api.add(SlowGroup)

const SlowHandlers = HttpApiBuilder.group(SlowApi, "slow", (handlers) =>
  handlers.handle("slow", () => Effect.as(Effect.sleep("600 millis"), { done: true }))
)

const urlOf = Effect.map(Effect.service(HttpServer.HttpServer), (server) =>
  HttpServer.formatAddress(server.address)
)

describe("the server's lifecycle", () => {
  it("finishes in-flight requests when it stops, and refuses new ones", async () => {
    const runtime = ManagedRuntime.make(
      Server.serve(
        settings({ shutdownGraceSeconds: 5 }),
        TestDatabase.stores()[0]!.layer,
        Server.routesFor(SlowApi).pipe(
          Layer.provide([SlowHandlers, Server.handlers]),
          Layer.provide(Server.apiMiddleware)
        )
      )
    )
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

  const base = process.env.DATABASE_URL
  if (base !== undefined) {
    it.effect(
      "/readyz answers 503 within 2 s when the database is gone, while /livez stays 200",
      () =>
        Effect.scoped(
          Effect.gen(function* () {
            const { name, url } = yield* TestDatabase.freshPostgresDatabase(base)
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
