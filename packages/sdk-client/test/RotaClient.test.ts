import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Effect, Layer } from "effect"
import { RotaClient } from "../src/index.ts"

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
})
