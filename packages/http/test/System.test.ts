import { assert, describe, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { TestServer } from "../src/testing.ts"
import * as Stores from "./fixtures/Stores.ts"

const get = (path: string, headers: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const { url } = yield* TestServer.TestServer
    const response = yield* Effect.promise(() => fetch(`${url}${path}`, { headers }))
    return {
      status: response.status,
      type: response.headers.get("content-type") ?? "",
      text: yield* Effect.promise(() => response.text())
    }
  })

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 60_000, excludeTestServices: true })(
      "platform routes",
      (it) => {
        it.effect("/health answers ok with the version", () =>
          Effect.map(get("/health"), ({ status, text }) => {
            assert.strictEqual(status, 200)
            assert.deepStrictEqual(JSON.parse(text), { status: "ok", version: "0.1.0" })
          })
        )

        it.effect("/livez and /readyz answer ok while the database answers", () =>
          Effect.gen(function* () {
            assert.strictEqual((yield* get("/livez")).status, 200)
            assert.strictEqual((yield* get("/readyz")).status, 200)
          })
        )

        it.effect("/openapi.json is an OpenAPI 3.1 document of the API", () =>
          Effect.map(get("/openapi.json"), ({ status, text }) => {
            assert.strictEqual(status, 200)
            const doc = JSON.parse(text)
            assert.match(doc.openapi, /^3\.1/)
            assert.property(doc.paths, "/health")
            assert.property(doc.paths, "/readyz")
          })
        )

        it.effect("/docs renders a reference page with no external script", () =>
          Effect.map(get("/docs"), ({ status, type, text }) => {
            assert.strictEqual(status, 200)
            assert.match(type, /text\/html/)
            assert.notMatch(text, /<script[^>]+src="https?:/)
          })
        )

        it.effect("/metrics exposes request counters in Prometheus format", () =>
          Effect.gen(function* () {
            yield* get("/health")
            const { status, text } = yield* get("/metrics")
            assert.strictEqual(status, 200)
            assert.match(text, /rota_http_requests_total\{[^}]*status="200"[^}]*\} \d+/)
            assert.match(text, /rota_http_request_duration_seconds_bucket/)
          })
        )
      }
    )
  })
}

describe("with ROTA_METRICS_TOKEN", () => {
  const token = "metrics-token-0123456789abcdef"
  layer(TestServer.layer(Stores.stores()[0]!.layer, { metricsToken: Redacted.make(token) }), {
    timeout: 60_000,
    excludeTestServices: true
  })("/metrics", (it) => {
    it.effect("needs the bearer token", () =>
      Effect.gen(function* () {
        assert.strictEqual((yield* get("/metrics")).status, 401)
        assert.strictEqual((yield* get("/metrics", { authorization: "Bearer wrong" })).status, 401)
        assert.strictEqual((yield* get("/metrics", { authorization: `Bearer ${token}` })).status, 200)
      })
    )
  })
})
