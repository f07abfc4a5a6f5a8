import { assert, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import * as Stores from "./fixtures/Stores.ts"

const app = "http://app.example.test"

const listed = (header: string | null) => new Set((header ?? "").split(",").map((name) => name.trim()))

const preflight = (origin: string, headers: ReadonlyArray<string>) =>
  Effect.flatMap(Effect.service(TestServer.TestServer), ({ url }) =>
    Effect.promise(() =>
      fetch(`${url}/v1/bookings`, {
        method: "OPTIONS",
        headers: {
          origin,
          "access-control-request-method": "POST",
          "access-control-request-headers": headers.join(",")
        }
      })
    )
  )

layer(TestServer.layer(Stores.stores()[0]!.layer, { corsOrigins: [app] }), {
  timeout: 60_000,
  excludeTestServices: true
})("CORS for the configured origins", (it) => {
  it.effect("a page on an allowed origin may send every header the SDK can send, tracing included", () =>
    Effect.gen(function* () {
      const sent = [
        "authorization",
        "content-type",
        "x-org-id",
        "idempotency-key",
        "if-match",
        "if-none-match",
        "prefer",
        "x-request-id",
        "x-requested-with",
        "traceparent",
        "tracestate",
        "b3"
      ]
      const answer = yield* preflight(app, sent)
      assert.isBelow(answer.status, 300)
      assert.strictEqual(answer.headers.get("access-control-allow-origin"), app)
      assert.strictEqual(answer.headers.get("access-control-allow-credentials"), "true")
      const allowed = listed(answer.headers.get("access-control-allow-headers"))
      assert.deepStrictEqual(
        sent.filter((name) => !allowed.has(name)),
        []
      )
    })
  )

  it.effect("the response headers the SDK reads are exposed to the page", () =>
    Effect.gen(function* () {
      const { url } = yield* TestServer.TestServer
      const answer = yield* Effect.promise(() => fetch(`${url}/v1/health`, { headers: { origin: app } }))
      assert.strictEqual(answer.headers.get("access-control-allow-origin"), app)
      const exposed = listed(answer.headers.get("access-control-expose-headers"))
      const read = [
        "etag",
        "location",
        "x-request-id",
        "idempotency-replayed",
        "preference-applied",
        "retry-after",
        "ratelimit-limit",
        "ratelimit-remaining",
        "ratelimit-reset"
      ]
      assert.deepStrictEqual(
        read.filter((name) => !exposed.has(name)),
        []
      )
    })
  )

  it.effect("another origin is never granted: the answer names only configured origins", () =>
    Effect.gen(function* () {
      const elsewhere = "http://elsewhere.example.test"
      const answer = yield* preflight(elsewhere, ["authorization"])
      assert.notStrictEqual(answer.headers.get("access-control-allow-origin"), elsewhere)
    })
  )
})
