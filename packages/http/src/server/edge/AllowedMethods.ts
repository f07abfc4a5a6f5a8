/**
 * Which methods each path answers, read from the API definition and the platform routes, so a
 * request whose path exists only for other methods is answered 405 with `Allow` rather than 404.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Option } from "effect"
import { FindMyWay } from "effect/http"
import { HttpApi, type HttpApiGroup } from "effect/http-api"
import { ServerConfig } from "../ServerConfig.ts"

const methods = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const

// Served beside the API: `/openapi.json`, `/docs`, `/healthz` and `/metrics` (unless turned off)
// answer GET only.
const platformPaths = ["/openapi.json", "/docs", "/healthz"] as const

/**
 * @since 0.1.0
 * @category services
 */
export class AllowedMethods extends Context.Service<
  AllowedMethods,
  {
    /** The methods the path of `url` answers (HEAD with GET); empty for a path no route has. */
    readonly of: (url: string) => ReadonlyArray<string>
  }
>()("@rota/http/AllowedMethods") {
  /**
   * The methods of `api`'s routes and the platform routes.
   *
   * @since 0.1.0
   */
  static readonly layerFor = <Id extends string, Groups extends HttpApiGroup.Constraint>(
    api: HttpApi.HttpApi<Id, Groups>
  ): Layer.Layer<AllowedMethods> =>
    Layer.effect(
      AllowedMethods,
      Effect.map(Effect.serviceOption(ServerConfig), (config) =>
        make(api, Option.match(config, { onNone: () => true, onSome: (settings) => settings.metrics }))
      )
    )
}

/**
 * The methods of `api`'s routes and the platform routes, `/metrics` among them when `metrics`.
 * A plain lookup the edge asks for each unmatched request, so no effect and no span.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <Id extends string, Groups extends HttpApiGroup.Constraint>(
  api: HttpApi.HttpApi<Id, Groups>,
  metrics: boolean
): AllowedMethods["Service"] => {
  const router = FindMyWay.make<true>()
  HttpApi.reflect(api, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) => router.on(endpoint.method, endpoint.path as FindMyWay.PathInput, true)
  })
  for (const path of platformPaths) router.on("GET", path, true)
  if (metrics) router.on("GET", "/metrics", true)
  return {
    of: (url) => {
      const allowed: Array<string> = methods.filter((method) => router.find(method, url) !== undefined)
      return allowed.includes("GET") ? [...allowed, "HEAD"] : allowed
    }
  }
}
