import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer } from "effect"
import { HttpClient, HttpRouter, HttpServerResponse } from "effect/http"
import * as RouterServe from "../src/server/RouterServe.ts"

// A repository the routes take while they are built, as the use cases take the store's.
class Repo extends Context.Service<Repo, { readonly name: string }>()("test/RouterServe/Repo") {}
// A service the routes read while they answer, as the edge reads the log sink.
class Setting extends Context.Service<Setting, { readonly value: string }>()("test/RouterServe/Setting") {}

let repoBuilds = 0
const repoLayer = Layer.effect(
  Repo,
  Effect.sync(() => {
    repoBuilds++
    return { name: "built once" }
  })
)

const routes = HttpRouter.use(
  Effect.fn(function* (router) {
    const repo = yield* Repo
    yield* router.add(
      "GET",
      "/answer",
      Effect.gen(function* () {
        const setting = yield* Setting
        const context = yield* Effect.context<never>()
        return HttpServerResponse.jsonUnsafe({
          repo: repo.name,
          setting: setting.value,
          repoInRequest: context.mapUnsafe.has(Repo.key)
        })
      })
    )
    // What a route reading the store while it answers gets: a missing service.
    yield* router.add(
      "GET",
      "/reads-repo",
      Effect.map(Effect.service(Repo), (read) => HttpServerResponse.text(read.name))
    )
  })
)

const server = RouterServe.serve(routes, repoLayer, {}).pipe(
  Layer.provideMerge(repoLayer),
  Layer.provideMerge(Layer.succeed(Setting, { value: "on" })),
  Layer.provideMerge(NodeHttpServer.layerTest)
)

describe("RouterServe", () => {
  it.layer(server)((it) => {
    it.effect("requests start without the build-only services; the routes keep what they took", () =>
      Effect.gen(function* () {
        const response = yield* HttpClient.get("/answer")
        assert.strictEqual(response.status, 200)
        assert.deepStrictEqual(yield* response.json, {
          repo: "built once",
          setting: "on",
          repoInRequest: false
        })
        // The server's own copy was reused to learn what to leave out, not a second one built.
        assert.strictEqual(repoBuilds, 1)
      })
    )

    it.effect("a route that reads a build-only service while answering fails", () =>
      Effect.gen(function* () {
        const response = yield* HttpClient.get("/reads-repo")
        assert.strictEqual(response.status, 500)
      })
    )
  })
})
