import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { Effect } from "effect"
import { createClient, RotaProblem } from "../src/index.ts"

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 60_000, excludeTestServices: true })(
  "Promise client against a live server",
  (it) => {
    it.effect("calls the system routes", () =>
      Effect.gen(function* () {
        const { url } = yield* TestServer.TestServer
        const rota = createClient({ baseUrl: url })
        const health = yield* Effect.promise(() => rota.health())
        assert.deepStrictEqual(health, { status: "ok", version: "0.1.0" })
        assert.deepStrictEqual(yield* Effect.promise(() => rota.readyz()), { status: "ok" })
        yield* Effect.promise(() => rota.dispose())
      })
    )

    it.effect("rejects with a RotaProblem carrying code, status and no request id when nothing answers", () =>
      Effect.gen(function* () {
        const rota = createClient({ baseUrl: "http://127.0.0.1:9" })
        const error = yield* Effect.promise(() =>
          rota.health().then(
            () => undefined,
            (e: unknown) => e
          )
        )
        assert.instanceOf(error, RotaProblem)
        assert.strictEqual((error as RotaProblem).code, "network")
        yield* Effect.promise(() => rota.dispose())
      })
    )
  }
)
