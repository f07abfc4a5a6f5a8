/**
 * Who is calling, and for which organisation. `Authentication` checks the bearer access token
 * (and that its session and account are still live); `Tenant` requires `X-Org-Id` and an active
 * membership there. Tenant routes use both, in that order, so the answers come in the order the
 * API promises: 401, then 400 for the header, then 403 for membership.
 *
 * @since 0.1.0
 */

import type { Organization, RequestContext, Role } from "@rota/core"
import { Context } from "effect"
import { HttpApiMiddleware, HttpApiSecurity } from "effect/http-api"
import * as Problems from "./Problems.ts"

/**
 * The authenticated account and session, and its role in the org named by `X-Org-Id` (if any).
 * For a request made with an API key: the key's creator, the key as the session, and `apiKey`.
 *
 * @since 0.1.0
 * @category services
 */
export class CurrentAccount extends Context.Service<
  CurrentAccount,
  {
    readonly accountId: string
    readonly sessionId: string
    /** The org of `X-Org-Id` when it is a well-formed id, and the caller's role there (`null`: not a member). */
    readonly org:
      | {
          readonly orgId: string
          readonly role: Role.Role | null
          /** The org's settings, read with the role (`null`: not a member). */
          readonly settings: Organization.Settings | null
        }
      | undefined
    /** The API key the request was made with, and the permissions it holds. */
    readonly apiKey?: { readonly id: string; readonly scopes: ReadonlyArray<string> }
  }
>()("@rota/http/CurrentAccount") {}

/**
 * @since 0.1.0
 * @category middleware
 */
export class Authentication extends HttpApiMiddleware.Service<Authentication, { provides: CurrentAccount }>()(
  "@rota/http/Authentication",
  {
    requiredForClient: true,
    security: { bearer: HttpApiSecurity.bearer },
    error: [Problems.Unauthenticated, Problems.RateLimited]
  }
) {}

/**
 * @since 0.1.0
 * @category middleware
 */
export class Tenant extends HttpApiMiddleware.Service<
  Tenant,
  { provides: RequestContext.CurrentActor; requires: CurrentAccount }
>()("@rota/http/Tenant", { error: [Problems.MissingOrg, Problems.Forbidden] }) {}

/**
 * Throttles a public auth route per client address, and per account on failed sign-ins (or per
 * `email` on the other routes), answering 429 with `Retry-After` past the limit.
 *
 * @since 0.1.0
 * @category middleware
 */
export class AuthThrottle extends HttpApiMiddleware.Service<AuthThrottle>()("@rota/http/AuthThrottle", {
  error: Problems.RateLimited
}) {}

/**
 * Throttles a public link route (a calendar feed, an intake form) per client address and per the
 * link's token, on a quota of its own, answering 429 with `Retry-After` past the limit.
 *
 * @since 0.1.0
 * @category middleware
 */
export class PublicThrottle extends HttpApiMiddleware.Service<PublicThrottle>()("@rota/http/PublicThrottle", {
  error: Problems.RateLimited
}) {}

/**
 * What an endpoint needs: nothing (`public`), a login (`authenticated`), or a permission of the
 * caller's role in the org; `permission|own` when callers without it still see their own
 * records. Every endpoint declares one; the route x role test reads it.
 *
 * @since 0.1.0
 * @category annotations
 */
export class Requires extends Context.Service<Requires, string>()("@rota/http/Requires") {}
