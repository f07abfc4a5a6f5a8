import { NodeHttpServer } from "@effect/platform-node"
import { assert, describe, it } from "@effect/vitest"
import { Context, Effect, Layer, Schema } from "effect"
import { HttpClient, HttpRouter } from "effect/http"
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, HttpApiMiddleware } from "effect/http-api"
import * as HandlerGroup from "../src/server/handlers/HandlerGroup.ts"

class CurrentUser extends Context.Service<CurrentUser, { readonly name: string }>()(
  "test/HandlerGroup/CurrentUser"
) {}
class Login extends HttpApiMiddleware.Service<Login, { provides: CurrentUser }>()(
  "test/HandlerGroup/Login"
) {}
// A use case the handlers take while the group is built.
class Greeter extends Context.Service<Greeter, { readonly greet: (name: string) => string }>()(
  "test/HandlerGroup/Greeter"
) {}

const Answer = Schema.Struct({
  greeting: Schema.String,
  greeterInRequest: Schema.Boolean,
  loginInRequest: Schema.Boolean
})

class GreetingApi extends HttpApi.make("greeting").add(
  HttpApiGroup.make("greeting")
    .add(HttpApiEndpoint.get("greet", "/greet", { success: Answer }))
    .middleware(Login)
) {}

const handlers = HandlerGroup.group(GreetingApi, "greeting", (handlers) =>
  Effect.gen(function* () {
    const greeter = yield* Greeter
    return handlers.handle("greet", () =>
      Effect.gen(function* () {
        const user = yield* CurrentUser
        const context = yield* Effect.context<never>()
        return {
          greeting: greeter.greet(user.name),
          greeterInRequest: context.mapUnsafe.has(Greeter.key),
          loginInRequest: context.mapUnsafe.has(Login.key)
        }
      })
    )
  })
)

const server = HttpRouter.serve(
  HttpApiBuilder.layer(GreetingApi).pipe(
    Layer.provide(handlers),
    Layer.provide(Layer.succeed(Greeter, { greet: (name) => `hello ${name}` })),
    Layer.provide(
      Layer.succeed(Login, (effect) => Effect.provideService(effect, CurrentUser, { name: "ada" }))
    )
  ),
  { disableLogger: true, disableListenLog: true }
).pipe(Layer.provideMerge(NodeHttpServer.layerTest))

describe("HandlerGroup", () => {
  it.layer(server)((it) => {
    it.effect(
      "a request carries the group's middlewares, not the services its handlers took when built",
      () =>
        Effect.gen(function* () {
          const response = yield* HttpClient.get("/greet")
          assert.strictEqual(response.status, 200)
          assert.deepStrictEqual(yield* response.json, {
            greeting: "hello ada",
            greeterInRequest: false,
            loginInRequest: true
          })
        })
    )
  })
})
