/**
 * Authentication by API key: a bearer credential starting `rota_live_` (or an `X-Api-Key`
 * header) is looked up on every request, uncached, so a revoked or expired key is refused at
 * once on every server. The key acts in its own org only, throttled on its own quota.
 *
 * @since 0.1.0
 */
import { ApiKey, type ApiKeys, type Ids, RequestContext } from "@rota/core"
import { Effect, Option } from "effect"
import type { HttpServerRequest, HttpServerResponse } from "effect/http"
import * as Problems from "../../api/Problems.ts"
import { CurrentAccount } from "../../api/Security.ts"
import type * as RateLimits from "./RateLimits.ts"
import * as SecurityEvents from "./SecurityEvents.ts"
import * as ThrottleLive from "./ThrottleLive.ts"

/**
 * The API key a request carries, if any: a bearer credential shaped like one, else `X-Api-Key`.
 *
 * @since 0.1.0
 * @category credentials
 */
export const keyOf = (bearer: string, request: HttpServerRequest.HttpServerRequest): string | undefined => {
  if (ApiKey.looksLikeKey(bearer)) return bearer
  const header = request.headers["x-api-key"]
  return bearer.length === 0 && typeof header === "string" && header.length > 0 ? header : undefined
}

/**
 * Runs `httpEffect` as the key's actor, or answers 401. `X-Org-Id` may be left out; naming
 * another org than the key's is a 403 from the tenant check, as for a non-member.
 *
 * @since 0.1.0
 * @category authentication
 */
export const authenticate = <E, R>(
  keys: ApiKeys.ApiKeys["Service"],
  limits: RateLimits.RateLimits["Service"],
  credential: string,
  orgId: Ids.OrgId | undefined,
  httpEffect: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
) =>
  Effect.gen(function* () {
    const requestId = yield* RequestContext.CurrentRequestId
    const found = yield* keys.authenticate(credential)
    if (Option.isNone(found)) {
      yield* SecurityEvents.note({ refusal: { event: "security.token_refused", reason: "api_key_invalid" } })
      return yield* new Problems.Unauthenticated({ requestId })
    }
    const actor = found.value
    const keyId = actor.apiKeyId ?? actor.accountId
    yield* SecurityEvents.note({ accountId: actor.accountId })
    const sameOrg = orgId === undefined || orgId === actor.orgId
    return yield* ThrottleLive.within(
      limits.api(`key:${keyId}`),
      Effect.provideService(httpEffect, CurrentAccount, {
        accountId: actor.accountId,
        sessionId: keyId,
        org: { orgId: orgId ?? actor.orgId, role: sameOrg ? actor.role : null, settings: null },
        apiKey: { id: keyId, scopes: actor.scopes ?? [] }
      })
    )
  })
