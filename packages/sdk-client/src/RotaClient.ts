/**
 * The typed Effect client, derived from the same `Api` definition the server implements.
 *
 * @since 0.1.0
 */
import { Api, Authentication, Problems } from "@rota/http/api"
import { Context, Effect, Layer } from "effect"
import { FetchHttpClient, HttpClient, HttpClientRequest } from "effect/http"
import { HttpApiClient, HttpApiMiddleware } from "effect/http-api"
import { policyFetch, type RequestOptions, type ResponseInfo, type TransportOptions } from "./Transport.ts"

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
export interface ClientOptions extends TransportOptions {
  /** Where the Rota server listens, e.g. `http://127.0.0.1:3000`. */
  readonly baseUrl: string
  /** Sent as `X-Org-Id` on every request, for tenant routes; read before each request. */
  readonly orgId?: string | (() => string | undefined) | undefined
  /** The access token for authenticated routes; read before each request. */
  readonly accessToken?: string | (() => string | undefined) | undefined
  /**
   * An API key (`rota_live_...`) for a machine client, sent as the bearer credential when there
   * is no access token. A key acts in its own org: `orgId` may be left out.
   */
  readonly apiKey?: string | undefined
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
}

/**
 * Options of the calls made inside an effect, and who to tell about their answers: provide them
 * with {@link RotaClient.withRequestOptions}.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions extends RequestOptions {
  readonly onResponse?: ((info: ResponseInfo) => void) | undefined
}

/**
 * The {@link CallOptions} of the current fiber; none by default.
 *
 * @since 0.1.0
 * @category references
 */
export const CallOptions = Context.Reference<CallOptions>("@rota/sdk-client/CallOptions", {
  defaultValue: () => ({})
})

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
            // The transport policy wraps `fetch` per request, so the retries of one call
            // reuse its idempotency key and its deadline covers them all.
            HttpClient.transformResponse((response) =>
              Effect.flatMap(Effect.service(CallOptions), (call) =>
                response.pipe(
                  Effect.provideService(
                    HttpClient.TracerPropagationEnabled,
                    options.propagateTracing ?? false
                  ),
                  Effect.provideService(FetchHttpClient.RequestInit, {
                    credentials: options.credentials ?? "include"
                  }),
                  Effect.provideService(FetchHttpClient.Fetch, policyFetch(options, call, call.onResponse))
                )
              )
            )
          )
      })
    ).pipe(
      Layer.provide(
        HttpApiMiddleware.layerClient(Authentication, ({ next, request }) => {
          const token = read(options.accessToken) ?? options.apiKey
          return next(token === undefined ? request : HttpClientRequest.bearerToken(request, token))
        })
      ),
      Layer.provide(FetchHttpClient.layer)
    )

  /**
   * Runs `effect` with these options on each call it makes: a `timeout` and `signal`, a
   * `maxRetries`, an `idempotencyKey`, or `onResponse` to read each answer's status, headers and
   * request id.
   *
   * @since 0.1.0
   */
  static readonly withRequestOptions =
    (options: CallOptions) =>
    <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
      Effect.provideService(effect, CallOptions, options)
}
