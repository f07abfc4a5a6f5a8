/**
 * Authentication and tenant resolution. One database lookup per request answers both "is this
 * session still live?" and "what is the caller's role in X-Org-Id?", so logout, password
 * changes and removal from an org take effect on the very next request.
 *
 * @since 0.1.0
 */
import { ApiKeys, IdentityRepos, Ids, OrgSettings, RequestContext, TokenSigner, Transactor } from "@rota/core"
import { Effect, Layer, Option, Redacted, Schema } from "effect"
import { HttpServerRequest } from "effect/http"
import * as Problems from "../../api/Problems.ts"
import { Authentication, CurrentAccount, Tenant } from "../../api/Security.ts"
import * as ApiKeyAuth from "./ApiKeyAuth.ts"
import * as DryRun from "./DryRun.ts"
import * as RateLimits from "./RateLimits.ts"
import { ResponseCache } from "./ResponseCache.ts"
import * as SecurityEvents from "./SecurityEvents.ts"
import * as ThrottleLive from "./ThrottleLive.ts"

const isOrgId = Schema.is(Ids.OrgId)

/**
 * @since 0.1.0
 * @category layers
 */
export const authentication: Layer.Layer<
  Authentication,
  never,
  TokenSigner.TokenSigner | IdentityRepos.SessionRepo | RateLimits.RateLimits | ApiKeys.ApiKeys
> = Layer.effect(
  Authentication,
  Effect.gen(function* () {
    const signer = yield* TokenSigner.TokenSigner
    const sessions = yield* IdentityRepos.SessionRepo
    const limits = yield* RateLimits.RateLimits
    const keys = yield* ApiKeys.ApiKeys
    return Authentication.of({
      bearer: Effect.fn("Authentication.bearer")(function* (httpEffect, { credential }) {
        const requestId = yield* RequestContext.CurrentRequestId
        // Built only when refused: a problem is a validated class, and most requests pass.
        const unauthenticated = () => new Problems.Unauthenticated({ requestId })
        const token = Redacted.value(credential)
        const request = yield* HttpServerRequest.HttpServerRequest
        const header = request.headers["x-org-id"]
        const orgId = isOrgId(header) ? header : undefined
        const key = ApiKeyAuth.keyOf(token, request)
        if (key !== undefined) return yield* ApiKeyAuth.authenticate(keys, limits, key, orgId, httpEffect)
        const claims = yield* signer.verifyAccess(token).pipe(
          // No token at all is an anonymous call, not a refused one.
          Effect.tapError(() =>
            token.length === 0
              ? Effect.void
              : SecurityEvents.note({
                  refusal: { event: "security.token_refused", reason: "token_invalid" }
                })
          ),
          Effect.mapError(unauthenticated)
        )
        const state = yield* sessions.resolve(claims.sessionId, orgId)
        if (Option.isNone(state) || state.value.accountId !== claims.accountId) {
          yield* SecurityEvents.note({
            accountId: claims.accountId,
            refusal: { event: "security.token_refused", reason: "session_ended" }
          })
          return yield* unauthenticated()
        }
        yield* SecurityEvents.note({ accountId: claims.accountId })
        return yield* ThrottleLive.within(
          limits.api(claims.accountId),
          Effect.provideService(httpEffect, CurrentAccount, {
            accountId: claims.accountId,
            sessionId: claims.sessionId,
            org:
              orgId === undefined
                ? undefined
                : { orgId, role: state.value.role, settings: state.value.orgSettings }
          })
        )
      })
    })
  })
)

/**
 * @since 0.1.0
 * @category layers
 */
export const tenant: Layer.Layer<Tenant, never, ResponseCache | Transactor.Transactor> = Layer.effect(
  Tenant,
  Effect.gen(function* () {
    const cache = yield* ResponseCache
    const transactor = yield* Transactor.Transactor
    return Tenant.of((httpEffect) =>
      Effect.gen(function* () {
        const requestId = yield* RequestContext.CurrentRequestId
        const account = yield* CurrentAccount
        if (account.org === undefined) return yield* new Problems.MissingOrg({ requestId })
        if (account.org.role === null) {
          yield* SecurityEvents.note({
            orgId: account.org.orgId,
            refusal: { event: "security.access_denied", reason: "not_a_member" }
          })
          return yield* new Problems.Forbidden({
            requestId,
            detail: "You are not a member of this organisation."
          })
        }
        const actor = new RequestContext.Actor({
          accountId: Ids.AccountId.make(account.accountId),
          orgId: Ids.OrgId.make(account.org.orgId),
          role: account.org.role,
          ...(account.apiKey === undefined
            ? {}
            : { apiKeyId: Ids.ApiKeyId.make(account.apiKey.id), scopes: account.apiKey.scopes })
        })
        yield* SecurityEvents.note({ orgId: actor.orgId })
        const settings = account.org.settings
        const request = yield* HttpServerRequest.HttpServerRequest
        // Only now is it known who asks, so only now may a kept answer be chosen for them; and
        // every org-scoped write passes here, after the checks that need no transaction: the one
        // place a `Prefer: dry-run` write is run and then undone.
        // A key's answers are never kept nor served from what its creator was shown: its scopes
        // are narrower than the role the cache keys by.
        const answer =
          request.method === "GET" && actor.apiKeyId === undefined
            ? cache.cached(
                { orgId: actor.orgId, role: actor.role, accountId: actor.accountId },
                request.url,
                httpEffect
              )
            : DryRun.requested(request)
              ? DryRun.rehearse(transactor, httpEffect)
              : httpEffect
        return yield* Effect.provideService(answer, RequestContext.CurrentActor, actor).pipe(
          Effect.provideService(
            OrgSettings.KnownSettings,
            settings === null ? Option.none() : Option.some({ orgId: actor.orgId, settings })
          )
        )
      })
    )
  })
)
