import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Effect, Layer } from "effect"
import { RotaClient } from "../src/index.ts"

// The Effect client over a fetch that records the headers of each request.
const recording = (url: string, propagateTracing?: boolean) => {
  const sent: Array<Headers> = []
  const layer = RotaClient.layer({
    baseUrl: url,
    propagateTracing,
    fetch: (input, init) => {
      sent.push(new Headers(init?.headers))
      return globalThis.fetch(input, init)
    }
  })
  return { sent, layer }
}

const traceHeaders = (headers: Headers) => ["traceparent", "b3"].filter((name) => headers.has(name))

const ClientLayer = Layer.unwrap(
  Effect.map(Effect.service(TestServer.TestServer), ({ url }) => RotaClient.layer({ baseUrl: url }))
)

layer(ClientLayer.pipe(Layer.provideMerge(TestServer.layer(TestDatabase.stores()[0]!.layer))), {
  timeout: 60_000,
  excludeTestServices: true
})("Effect client against a live server", (it) => {
  it.effect("decodes the typed answers of the system group", () =>
    Effect.gen(function* () {
      const client = yield* RotaClient
      const health = yield* client.health()
      assert.strictEqual(health.status, "ok")
      assert.strictEqual((yield* client.livez()).status, "ok")
    })
  )

  it.effect("sends no trace headers unless asked, so a browser's preflight passes any CORS rules", () =>
    Effect.gen(function* () {
      const { url } = yield* TestServer.TestServer
      const quiet = recording(url)
      yield* Effect.flatMap(Effect.service(RotaClient), (client) => client.health()).pipe(
        Effect.provide(quiet.layer)
      )
      assert.deepStrictEqual(quiet.sent.map(traceHeaders), [[]])
      const traced = recording(url, true)
      yield* Effect.flatMap(Effect.service(RotaClient), (client) => client.health()).pipe(
        Effect.provide(traced.layer)
      )
      assert.deepStrictEqual(traced.sent.map(traceHeaders), [["traceparent", "b3"]])
    })
  )
})
