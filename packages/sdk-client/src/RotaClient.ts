/**
 * The typed Effect client, derived from the same `Api` definition the server implements.
 *
 * @since 0.1.0
 */
import { Api, Authentication, Problems } from "@rota/http/api"
import { Context, Effect, identity, Layer } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { HttpApiClient, HttpApiMiddleware } from "effect/http-api"

/**
 * The problem classes the client fails with, one per `code`.
 *
 * @since 0.1.0
 * @category errors
 */
export { Problems }

/**
 * @since 0.1.0
 * @category models
 */
export interface ClientOptions {
  /** Where the Rota server listens, e.g. `http://127.0.0.1:3000`. */
  readonly baseUrl: string
  /** Sent as `X-Org-Id` on every request, for tenant routes; read before each request. */
  readonly orgId?: string | (() => string | undefined) | undefined
  /** The access token for authenticated routes; read before each request. */
  readonly accessToken?: string | (() => string | undefined) | undefined
  /**
   * Sends the current trace as `traceparent` and `b3` headers. Off by default: a browser sends
   * them only to servers whose CORS rules allow them (Rota's do).
   */
  readonly propagateTracing?: boolean | undefined
  /**
   * Whether `fetch` sends and keeps cookies; `"include"` by default, so a page on another origin
   * keeps the HttpOnly refresh cookie the server sets on login.
   */
  readonly credentials?: RequestCredentials | undefined
  /** The `fetch` to send requests with; the platform's by default. */
  readonly fetch?: typeof globalThis.fetch | undefined
}

const read = (value: string | (() => string | undefined) | undefined) =>
  typeof value === "function" ? value() : value

/**
 * Every group and endpoint of the API, typed end to end: payloads, successes and the problems
 * each endpoint declares.
 *
 * @since 0.1.0
 * @category services
 */
export class RotaClient extends Context.Service<RotaClient, HttpApiClient.ForApi<typeof Api>>()(
  "@rota/sdk-client/RotaClient"
) {
  /**
   * A client over the platform's `fetch` (browsers, Node 18+, Deno, Bun).
   *
   * @since 0.1.0
   */
  static readonly layer = (options: ClientOptions): Layer.Layer<RotaClient> =>
    Layer.effect(
      RotaClient,
      HttpApiClient.make(Api, {
        baseUrl: options.baseUrl,
        transformClient: (client) =>
          client.pipe(
            HttpClient.mapRequest((request) => {
              const orgId = read(options.orgId)
              return orgId === undefined ? request : HttpClientRequest.setHeader(request, "x-org-id", orgId)
            }),
            // Per client, at each request: two clients with different options can share one
            // fetch layer.
            HttpClient.transformResponse((response) =>
              response.pipe(
                Effect.provideService(HttpClient.TracerPropagationEnabled, options.propagateTracing ?? false),
                Effect.provideService(FetchHttpClient.RequestInit, {
                  credentials: options.credentials ?? "include"
                }),
                options.fetch === undefined
                  ? identity
                  : Effect.provideService(FetchHttpClient.Fetch, options.fetch)
              )
            )
          )
      })
    ).pipe(
      Layer.provide(
        HttpApiMiddleware.layerClient(Authentication, ({ next, request }) => {
          const token = read(options.accessToken)
          return next(token === undefined ? request : HttpClientRequest.bearerToken(request, token))
        })
      ),
      Layer.provide(FetchHttpClient.layer)
    )
}
