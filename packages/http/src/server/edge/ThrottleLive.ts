/**
 * The throttles: per client address, failed sign-ins per account (see {@link authThrottle}) on
 * public auth routes, per client address and per token on public link routes (see
 * {@link publicThrottle}), per account on everything authenticated (applied by the
 * authentication middleware). Past a limit the answer is 429 with `Retry-After`; below it,
 * responses carry the `RateLimit-*` headers.
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import { Account, IdentityRepos, RequestContext, TokenSigner } from "@rota/core"
import { Clock, Context, DateTime, Duration, Effect, Layer, Option, Result, Schema } from "effect"
import { HttpServerRequest, HttpServerRespondable, HttpServerResponse } from "effect/http"
import { AuthThrottle, PublicThrottle } from "../../api/Security.ts"
import { ServerConfig } from "../ServerConfig.ts"
import * as ClientAddress from "./ClientAddress.ts"
import * as RateLimits from "./RateLimits.ts"
import * as RequestValidationLive from "./RequestValidationLive.ts"
import * as SecurityEvents from "./SecurityEvents.ts"

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

// Problems render here, so the throttle sees the status of every answer; a refused body keeps
// its field paths (the framework's own rendering of a decoding error drops them).
const asResponse = <E, R>(effect: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>) =>
  effect.pipe(
    RequestValidationLive.withFieldIssues,
    Effect.catch((error) =>
      HttpServerRespondable.isRespondable(error)
        ? HttpServerRespondable.toResponse(error)
        : Effect.fail(error)
    )
  )

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
    return yield* asResponse(effect).pipe(Effect.map(HttpServerResponse.setHeaders(headers)))
  })

/**
 * The cookie that marks a browser which signed in to an account before: a signed, purpose-bound
 * token naming the account, scoped to the login route.
 *
 * @since 0.1.0
 * @category cookies
 */
export const deviceCookie = "rota_device"

const devicePurpose = "known-device"
const deviceTtl = Duration.days(180)

/**
 * Auth routes are limited per client address. A sign-in (a body with `login`) is also refused
 * while its account has no failed attempts left; the counter is keyed by the account the login
 * names, so its username and email share it, and only failed attempts spend it. A browser that
 * signed in to that account before (the `rota_device` cookie) passes that backoff, so failures
 * caused by others, from anywhere, cannot lock the owner out. Other auth routes with an `email`
 * (registration, password reset) are limited per email as well.
 *
 * @since 0.1.0
 * @category layers
 */
export const authThrottle: Layer.Layer<
  AuthThrottle,
  never,
  RateLimits.RateLimits | TrustedProxies | IdentityRepos.AccountRepo | TokenSigner.TokenSigner
> = Layer.effect(
  AuthThrottle,
  Effect.gen(function* () {
    const limits = yield* RateLimits.RateLimits
    const trusted = yield* TrustedProxies
    const accounts = yield* IdentityRepos.AccountRepo
    const signer = yield* TokenSigner.TokenSigner

    const knownDevice = (cookie: string | undefined, accountId: string) =>
      cookie === undefined
        ? Effect.succeed(false)
        : signer.verifyPurpose(cookie, devicePurpose).pipe(
            Effect.map((claims) => claims.subject === accountId),
            Effect.orElseSucceed(() => false)
          )

    const rememberDevice = (response: HttpServerResponse.HttpServerResponse, accountId: string) =>
      Effect.gen(function* () {
        const now = yield* Clock.currentTimeMillis
        const token = yield* signer.signPurpose({
          purpose: devicePurpose,
          subject: accountId,
          id: randomUUID(),
          expiresAt: DateTime.makeUnsafe(now + Duration.toMillis(deviceTtl))
        })
        return HttpServerResponse.setCookieUnsafe(response, deviceCookie, token, {
          path: "/v1/auth/login",
          httpOnly: true,
          secure: true,
          sameSite: "strict",
          maxAge: deviceTtl
        })
      })

    return AuthThrottle.of((httpEffect) =>
      Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const ip = ClientAddress.limitKey(ClientAddress.fromRequest(request, trusted) ?? "unknown")
        const body = yield* Effect.orElseSucceed(request.text, () => "")
        // The OAuth2 token route takes the same credentials form-encoded, as `username`.
        const form = (request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded")
        const fields = form
          ? { login: new URLSearchParams(body).get("username") ?? undefined, email: undefined }
          : Option.getOrUndefined(decodeLogin(body))
        const login = fields?.login?.trim()
        if (login === undefined || login.length === 0) {
          return yield* within(limits.auth({ ip, login: fields?.email }), httpEffect)
        }
        // No account can hold a name PostgreSQL cannot store; the guard refuses it after counting.
        const found = RequestValidationLive.hasIllFormedText(login)
          ? Option.none()
          : yield* accounts.findByLogin(Account.normalizeLogin(login))
        const accountId = Option.isSome(found) ? found.value.account.id : undefined
        // Unknown names are counted by name, so an attacker learns nothing from the counter.
        const key = accountId === undefined ? `name:${login.toLowerCase()}` : `account:${accountId}`
        const known =
          accountId === undefined ? false : yield* knownDevice(request.cookies[deviceCookie], accountId)
        const facts = yield* Effect.serviceOption(SecurityEvents.RequestFacts)
        const failedLogin = () => Option.isSome(facts) && facts.value.loginDigest !== undefined
        const answer = asResponse(httpEffect).pipe(
          Effect.flatMap((response) =>
            // A wrong password is a 401 on the JSON login; on the token route it is a 400
            // `invalid_grant`, told apart from a malformed request by the failed login it noted.
            (form ? response.status === 400 && failedLogin() : response.status === 401)
              ? Effect.as(limits.signInFailed(key), response)
              : response.status === 200 && accountId !== undefined
                ? rememberDevice(response, accountId)
                : Effect.succeed(response)
          )
        )
        return yield* within(limits.signIn({ ip, account: key, knownDevice: known }), answer)
      })
    )
  })
)

// The link's token is the last path segment (`/v1/calendar/{token}.ics`, `/v1/intake/{token}`),
// decoded, so two spellings of one link share its counter.
const linkToken = (url: string): string => {
  const path = url.split("?")[0] ?? ""
  const segment = path.slice(path.lastIndexOf("/") + 1)
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

/**
 * Public link routes (calendar feeds, intake) are limited per client address and per link token
 * on their own quota (`ROTA_RATE_LIMIT_PUBLIC`), apart from the auth routes': calendar apps
 * polling from one office address cannot lock its people out of signing in, nor a burst of
 * sign-ins stop the feeds.
 *
 * @since 0.1.0
 * @category layers
 */
export const publicThrottle: Layer.Layer<PublicThrottle, never, RateLimits.RateLimits | TrustedProxies> =
  Layer.effect(
    PublicThrottle,
    Effect.gen(function* () {
      const limits = yield* RateLimits.RateLimits
      const trusted = yield* TrustedProxies
      return PublicThrottle.of((httpEffect) =>
        Effect.gen(function* () {
          const request = yield* HttpServerRequest.HttpServerRequest
          const ip = ClientAddress.limitKey(ClientAddress.fromRequest(request, trusted) ?? "unknown")
          return yield* within(limits.publicLink({ ip, token: linkToken(request.url) }), httpEffect)
        })
      )
    })
  )
