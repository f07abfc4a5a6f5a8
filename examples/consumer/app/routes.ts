// docs/embedding.md, "Adding routes": type-checked against the packed packages.
import { RequestContext } from "@rota/core"
import { HandlerGroup, Server, type ServerConfig } from "@rota/http"
import { Api, Authentication, Problems, Tenant } from "@rota/http/api"
import { Effect, Layer, Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup } from "effect/http-api"

class WhoamiApi extends HttpApiGroup.make("whoami")
  .add(
    HttpApiEndpoint.get("get", "/v1/whoami", {
      success: Schema.Struct({ accountId: Schema.String, role: Schema.String }),
      error: Problems.Forbidden
    })
  )
  .middleware(Tenant)
  .middleware(Authentication) {}

class MyApi extends Api.add(WhoamiApi) {}

const WhoamiLive = HandlerGroup.group(MyApi, "whoami", (handlers) =>
  handlers.handle("get", () =>
    Effect.map(Effect.service(RequestContext.CurrentActor), (actor) => ({
      accountId: actor.accountId,
      role: actor.role
    }))
  )
)

const app = Server.routesFor(MyApi).pipe(
  Layer.provide(Layer.merge(Server.handlers, WhoamiLive)),
  Layer.provide(Server.apiMiddleware)
)

const serveMyApi = (settings: ServerConfig.Settings) => Server.serve(settings, Server.storage(settings), app)

export { serveMyApi }
