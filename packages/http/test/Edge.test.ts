import { assert, layer } from "@effect/vitest"
import { Context, Effect, Layer, Schema } from "effect"
import { HttpServer } from "effect/http"
import { HttpApiBuilder, HttpApiEndpoint, HttpApiGroup } from "effect/http-api"
import { Api, InputGuard, RequestValidation } from "../src/api.ts"
import { Server } from "../src/index.ts"
import { settings } from "../src/testing/TestServer.ts"
import * as Stores from "./fixtures/Stores.ts"

// A test-only group on top of the real API, so the edge rules are proven on routes with bodies
// before any feature route exists.
class EchoGroup extends HttpApiGroup.make("echo")
  .add(
    HttpApiEndpoint.post("echo", "/test/echo", {
      payload: Schema.Struct({ name: Schema.String, count: Schema.optionalKey(Schema.Int) }),
      success: Schema.Struct({ name: Schema.String })
    }),
    HttpApiEndpoint.get("boom", "/test/boom", { success: Schema.Struct({}) })
  )
  .middleware(InputGuard)
  .middleware(RequestValidation) {}

const TestApi = Api.add(EchoGroup)

const EchoHandlers = HttpApiBuilder.group(TestApi, "echo", (handlers) =>
  handlers
    .handle("echo", ({ payload }) => Effect.succeed({ name: payload.name }))
    .handle("boom", () => Effect.die(new Error("secret internals: SELECT * FROM accounts")))
)

class BaseUrl extends Context.Service<BaseUrl, string>()("test/BaseUrl") {}

const TestServerLayer = Layer.effect(
  BaseUrl,
  Effect.map(Effect.service(HttpServer.HttpServer), (server) => HttpServer.formatAddress(server.address))
).pipe(
  Layer.provide(
    Server.serve(
      settings({ maxBodyBytes: 1024 }),
      Stores.stores()[0]!.layer,
      Server.routesFor(TestApi).pipe(
        Layer.provide([EchoHandlers, Server.handlers]),
        Layer.provide(Server.apiMiddleware)
      )
    )
  )
)

interface Answer {
  readonly status: number
  readonly headers: Headers
  readonly text: string
  readonly json: Record<string, unknown>
}

const send = (path: string, init: RequestInit = {}) =>
  Effect.gen(function* () {
    const base = yield* BaseUrl
    const response = yield* Effect.promise(() => fetch(`${base}${path}`, init))
    const text = yield* Effect.promise(() => response.text())
    const json = (response.headers.get("content-type") ?? "").includes("json") ? JSON.parse(text) : {}
    return { status: response.status, headers: response.headers, text, json } satisfies Answer
  })

const postJson = (body: string, headers: Record<string, string> = {}) =>
  send("/test/echo", { method: "POST", body, headers: { "content-type": "application/json", ...headers } })

const assertProblem = (answer: Answer, status: number, code: string) => {
  assert.strictEqual(answer.status, status, answer.text)
  assert.strictEqual(answer.headers.get("content-type"), "application/problem+json")
  assert.strictEqual(answer.json.code, code)
  assert.strictEqual(answer.json.status, status)
  assert.isString(answer.json.title)
  assert.strictEqual(answer.json.type, `urn:rota:problem:${code}`)
  assert.strictEqual(answer.json.requestId, answer.headers.get("x-request-id"))
  assert.notMatch(answer.text, /stack|SELECT|Error:|at .*\.ts/)
}

layer(TestServerLayer, { timeout: 60_000, excludeTestServices: true })("the edge of every request", (it) => {
  it.effect("answers an unknown route with a not_found problem", () =>
    Effect.map(send("/v1/nothing-here"), (answer) => assertProblem(answer, 404, "not_found"))
  )

  it.effect("answers malformed JSON with a validation_failed problem", () =>
    Effect.map(postJson('{"name": '), (answer) => assertProblem(answer, 400, "validation_failed"))
  )

  it.effect("refuses a body field the route does not declare, naming it", () =>
    Effect.map(postJson(JSON.stringify({ name: "a", orgId: "x" })), (answer) => {
      assertProblem(answer, 400, "validation_failed")
      const errors = answer.json.errors as ReadonlyArray<{ path: ReadonlyArray<string> }>
      assert.deepStrictEqual(errors[0]?.path, ["body", "orgId"])
    })
  )

  it.effect("refuses a field of the wrong type", () =>
    Effect.map(postJson(JSON.stringify({ name: "a", count: "many" })), (answer) => {
      assertProblem(answer, 400, "validation_failed")
      const errors = answer.json.errors as ReadonlyArray<{ path: ReadonlyArray<string> }>
      assert.deepStrictEqual(errors[0]?.path, ["body", "count"])
    })
  )

  it.effect("refuses NUL characters and unpaired surrogates, which PostgreSQL cannot store", () =>
    Effect.gen(function* () {
      for (const name of ["a\\u0000b", "a\\ud800b", "a\\udc00"]) {
        const answer = yield* postJson(`{"name":"${name}"}`)
        assertProblem(answer, 400, "validation_failed")
      }
      const paired = yield* postJson(`{"name":"\\ud83d\\ude00"}`)
      assert.strictEqual(paired.status, 200)
    })
  )

  it.effect("refuses an unknown query parameter", () =>
    Effect.map(send("/health?debug=1"), (answer) => assertProblem(answer, 400, "validation_failed"))
  )

  it.effect("answers a body over the limit with payload_too_large", () =>
    Effect.map(postJson(JSON.stringify({ name: "x".repeat(2048) })), (answer) =>
      assertProblem(answer, 413, "payload_too_large")
    )
  )

  it.effect("answers a defect with an internal problem that reveals nothing", () =>
    Effect.map(send("/test/boom"), (answer) => assertProblem(answer, 500, "internal"))
  )

  it.effect("accepts a valid body", () =>
    Effect.map(postJson(JSON.stringify({ name: "ok", count: 2 })), (answer) => {
      assert.strictEqual(answer.status, 200)
      assert.deepStrictEqual(answer.json, { name: "ok" })
    })
  )

  it.effect("echoes a well-formed X-Request-Id and replaces a malformed one", () =>
    Effect.gen(function* () {
      const echoed = yield* send("/health", { headers: { "x-request-id": "trace-42:a.b" } })
      assert.strictEqual(echoed.headers.get("x-request-id"), "trace-42:a.b")
      const replaced = yield* send("/health", { headers: { "x-request-id": "bad id<script>" } })
      assert.match(replaced.headers.get("x-request-id") ?? "", /^[0-9a-f-]{36}$/)
    })
  )

  it.effect("sets the security headers on every response, errors included", () =>
    Effect.gen(function* () {
      for (const answer of [yield* send("/health"), yield* send("/nope")]) {
        assert.strictEqual(answer.headers.get("x-content-type-options"), "nosniff")
        assert.strictEqual(answer.headers.get("x-frame-options"), "DENY")
        assert.strictEqual(answer.headers.get("referrer-policy"), "no-referrer")
        assert.isNotNull(answer.headers.get("permissions-policy"))
        assert.strictEqual(answer.headers.get("cache-control"), "no-store")
      }
    })
  )
})
