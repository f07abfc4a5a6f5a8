/**
 * @since 0.1.0
 */

import { Auth, Ids, RequestContext } from "@rota/core"
import { Effect, Redacted } from "effect"
import { HttpEffect, HttpServerResponse } from "effect/http"
import { Api } from "../../api/Api.ts"
import { refreshCookie } from "../../api/AuthApi.ts"
import * as Problems from "../../api/Problems.ts"
import { CurrentAccount } from "../../api/Security.ts"
import { personOnly } from "../edge/PersonOnly.ts"
import * as SecurityEvents from "../edge/SecurityEvents.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

const cookieValue = (header: string | undefined, name: string): string | undefined =>
  header
    ?.split(";")
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${name}=`))
    ?.slice(name.length + 1)

// The cookie rides on the response, outside the success schema: browsers keep it without scripts
// ever seeing it, and clients decoding the answer never depend on a header browsers hide.
const writeRefreshCookie = (value: string, maxAge: "30 days" | 0) =>
  Effect.withFiber((fiber) => {
    HttpEffect.appendPreResponseHandlerUnsafe(fiber.context, (_, response) =>
      Effect.succeed(
        HttpServerResponse.setCookieUnsafe(response, refreshCookie, value, {
          path: "/v1/auth",
          httpOnly: true,
          sameSite: "strict",
          secure: true,
          maxAge
        })
      )
    )
    return Effect.void
  })

const setRefreshCookie = (refreshToken: string) => writeRefreshCookie(refreshToken, "30 days")

// A browser keeps a cookie until told otherwise: logging out must also take the dead token away.
const clearRefreshCookie = writeRefreshCookie("", 0)

const accountView = (account: {
  readonly id: string
  readonly email: string
  readonly username: string
  readonly fullName: string
  readonly phone: string | null
}) => ({
  id: account.id,
  email: account.email,
  username: account.username,
  fullName: account.fullName,
  phone: account.phone
})

// RFC 6749 section 4.3, the password grant: the fields are checked here, so that a bad request
// answers in OAuth2 terms.
const passwordGrant = Effect.fnUntraced(function* (
  auth: Auth.Auth["Service"],
  payload: {
    readonly grant_type: string
    readonly username?: string | undefined
    readonly password?: string | undefined
  }
) {
  const requestId = yield* RequestContext.CurrentRequestId
  if (payload.grant_type !== "password") {
    return yield* new Problems.UnsupportedGrantType({
      requestId,
      error: "unsupported_grant_type",
      error_description: "Only grant_type=password is supported; refresh with /v1/auth/refresh."
    })
  }
  const username = payload.username?.trim() ?? ""
  if (username.length === 0 || payload.password === undefined || payload.password.length === 0) {
    return yield* new Problems.InvalidRequest({
      requestId,
      error: "invalid_request",
      error_description: "username and password are required."
    })
  }
  // The JSON login's use case: same checks, same session, same security events.
  const tokens = yield* auth.login(username, Redacted.make(payload.password)).pipe(
    Effect.tap(({ refreshToken }) => setRefreshCookie(refreshToken)),
    // Logged as the JSON login's failures are (the error table is bypassed for OAuth2 errors).
    Effect.tapError((error) =>
      SecurityEvents.note({
        loginDigest: SecurityEvents.loginDigest(username),
        refusal: SecurityEvents.unauthenticated(error.reason)
      })
    ),
    Effect.catchTag("Unauthenticated", () =>
      Effect.fail(
        new Problems.InvalidGrant({
          requestId,
          error: "invalid_grant",
          error_description: "The username or password is wrong, or the account cannot sign in."
        })
      )
    )
  )
  return {
    access_token: tokens.accessToken,
    token_type: tokens.tokenType,
    expires_in: tokens.expiresIn,
    refresh_token: tokens.refreshToken
  }
})

const refresh = Effect.fnUntraced(function* (
  auth: Auth.Auth["Service"],
  payload: { readonly refreshToken?: string | undefined },
  headers: { readonly cookie?: string | undefined; readonly "x-requested-with"?: string | undefined }
) {
  const fromCookie = cookieValue(headers.cookie, refreshCookie)
  // A cookie rides along on any request the browser makes; the custom header proves the
  // page itself sent this one (CSRF guard).
  const token = payload.refreshToken ?? (headers["x-requested-with"] === "rota" ? fromCookie : undefined)
  if (token === undefined) {
    return yield* new Problems.Unauthenticated({ requestId: yield* RequestContext.CurrentRequestId })
  }
  return yield* auth.refresh(token).pipe(
    Effect.tap(({ refreshToken }) => setRefreshCookie(refreshToken)),
    toProblems
  )
})

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = HandlerGroup.group(
  Api,
  "auth",
  Effect.fn(function* (handlers) {
    const auth = yield* Auth.Auth
    return handlers
      .handle("register", ({ payload }) =>
        auth.register({ ...payload, password: Redacted.make(payload.password) }).pipe(
          Effect.tap(({ tokens }) => setRefreshCookie(tokens.refreshToken)),
          Effect.map(({ account, org, tokens }) => ({
            account: accountView(account),
            org: { id: org.id, name: org.name, slug: org.slug },
            ...tokens
          })),
          toProblems
        )
      )
      .handle("login", ({ payload }) =>
        auth.login(payload.login, Redacted.make(payload.password)).pipe(
          Effect.tap(({ refreshToken }) => setRefreshCookie(refreshToken)),
          Effect.tapError(() =>
            SecurityEvents.note({ loginDigest: SecurityEvents.loginDigest(payload.login) })
          ),
          toProblems
        )
      )
      .handle("token", ({ payload }) => passwordGrant(auth, payload))
      .handle("refresh", ({ payload, headers }) => refresh(auth, payload, headers))
      .handle("passwordResetRequest", ({ payload }) =>
        // Answer at once and do the work after: the same answer in the same time, whether or not
        // the email belongs to an account.
        Effect.as(Effect.forkDetach(auth.requestPasswordReset(payload.email)), {
          status: "accepted" as const
        })
      )
      .handle("passwordResetConfirm", ({ payload }) =>
        toProblems(auth.confirmPasswordReset(payload.token, Redacted.make(payload.password)))
      )
      .handle("logout", ({ payload }) =>
        personOnly(
          Effect.flatMap(Effect.service(CurrentAccount), (account) =>
            auth.logout(account.sessionId, payload.refreshToken).pipe(Effect.tap(() => clearRefreshCookie))
          )
        )
      )
      .handle("me", () =>
        Effect.gen(function* () {
          const account = yield* CurrentAccount
          const me = yield* auth.me(Ids.AccountId.make(account.accountId))
          return { account: accountView(me.account), memberships: me.memberships }
        }).pipe(toProblems, personOnly)
      )
      .handle("changePassword", ({ payload }) =>
        Effect.gen(function* () {
          const account = yield* CurrentAccount
          yield* auth.changePassword(
            Ids.AccountId.make(account.accountId),
            account.sessionId,
            Redacted.make(payload.currentPassword),
            Redacted.make(payload.newPassword)
          )
        }).pipe(toProblems, personOnly)
      )
  })
)
