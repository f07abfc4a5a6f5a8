/**
 * The throttles: per client address and login name on public auth routes, per account on
 * everything authenticated (applied by the authentication middleware). Past a limit the answer
 * is 429 with `Retry-After`; below it, responses carry the `RateLimit-*` headers.
 *
 * @since 0.1.0
 */
import { RequestContext } from "@rota/core"
import { Context, Effect, Layer, Option, Result, Schema } from "effect"
import { HttpServerRequest, HttpServerRespondable, HttpServerResponse } from "effect/http"
import { AuthThrottle } from "../api/Security.ts"
import * as ClientAddress from "./ClientAddress.ts"
import * as RateLimits from "./RateLimits.ts"
import * as RequestValidationLive from "./RequestValidationLive.ts"
import * as SecurityEvents from "./SecurityEvents.ts"
import { ServerConfig } from "./ServerConfig.ts"

/**
 * The trusted proxies, parsed once at start-up (a malformed CIDR refuses to start).
 *
 * @since 0.1.0
 * @category services
 */
export class TrustedProxies extends Context.Service<TrustedProxies, ClientAddress.TrustedProxies>()(
  "@rota/http/TrustedProxies"
) {
  /**
   * @since 0.1.0
   */
  static readonly layer: Layer.Layer<TrustedProxies, never, ServerConfig> = Layer.effect(
    TrustedProxies,
    Effect.flatMap(Effect.service(ServerConfig), (config) => {
      const parsed = ClientAddress.parseTrustedProxies(config.trustedProxies)
      return Result.isSuccess(parsed)
        ? Effect.succeed(parsed.success)
        : Effect.die(new Error(`ROTA_TRUSTED_PROXIES: ${parsed.failure.message}`))
    })
  )
}

const LoginBody = Schema.fromJsonString(
  Schema.Struct({ login: Schema.optional(Schema.String), email: Schema.optional(Schema.String) })
)
const decodeLogin = Schema.decodeUnknownOption(LoginBody)

/**
 * Runs `effect` within a quota: past it, the 429 answer; below it, the answer with its headers.
 *
 * @since 0.1.0
 * @category throttling
 */
export const within = <E, R>(
  quota: Effect.Effect<RateLimits.Quota | undefined, RateLimits.RateLimitExceeded>,
  effect: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
) =>
  Effect.gen(function* () {
    const decision = yield* Effect.result(quota)
    if (Result.isFailure(decision)) {
      yield* SecurityEvents.note({
        refusal: { event: "security.rate_limited", reason: `${decision.failure.scope}_limit` }
      })
      return RateLimits.toResponse(decision.failure, yield* RequestContext.CurrentRequestId)
    }
    if (decision.success === undefined) return yield* effect
    const headers = RateLimits.headersFor(decision.success)
    // Error answers carry the quota too: a client told "wrong password" should also see how
    // many attempts it has left. Problems render here so the headers can be added.
    return yield* effect.pipe(
      RequestValidationLive.withFieldIssues,
      Effect.catch((error) =>
        HttpServerRespondable.isRespondable(error)
          ? HttpServerRespondable.toResponse(error)
          : Effect.fail(error)
      ),
      Effect.map(HttpServerResponse.setHeaders(headers))
    )
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const authThrottle: Layer.Layer<AuthThrottle, never, RateLimits.RateLimits | TrustedProxies> =
  Layer.effect(
    AuthThrottle,
    Effect.gen(function* () {
      const limits = yield* RateLimits.RateLimits
      const trusted = yield* TrustedProxies
      return AuthThrottle.of((httpEffect) =>
        Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          const ip = ClientAddress.fromRequest(request, trusted) ?? "unknown"
          const body = yield* Effect.orElseSucceed(request.text, () => "")
          const fields = Option.getOrUndefined(decodeLogin(body))
          return yield* within(
            limits.auth({ ip: ClientAddress.limitKey(ip), login: fields?.login ?? fields?.email }),
            httpEffect
          )
        })
      )
    })
  )
