/**
 * `/v1/auth`: registration, login, token refresh, logout, the caller's identity, password
 * change and reset.
 *
 * @since 0.1.0
 */
import { Account, Auth, Ids, Role } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { optionalBody } from "./ActionPayload.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, AuthThrottle, Requires } from "./Security.ts"

/**
 * The HttpOnly cookie that carries the refresh token in browsers. The server sets it on register, login
 * and refresh; it is not part of any success schema, because browsers never show `Set-Cookie` to
 * scripts: a client that required it could not log in from a page.
 *
 * @since 0.1.0
 * @category cookies
 */
export const refreshCookie = "rota_refresh"

/**
 * @since 0.1.0
 * @category schemas
 */
export const AccountView = Schema.Struct({
  id: Schema.String,
  email: Schema.String,
  username: Schema.String,
  fullName: Schema.String,
  phone: Schema.NullOr(Schema.String)
})

const Registered = Schema.Struct({
  account: AccountView,
  org: Schema.Struct({ id: Schema.String, name: Schema.String, slug: Schema.String }),
  ...Auth.Tokens.fields
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const Me = Schema.Struct({
  account: AccountView,
  memberships: Schema.Array(Schema.Struct({ orgId: Ids.OrgId, role: Role.Role, orgName: Schema.String }))
})

/**
 * The OAuth2 token response (RFC 6749 section 5.1).
 *
 * @since 0.1.0
 * @category schemas
 */
export const TokenResponse = Schema.Struct({
  access_token: Schema.String,
  token_type: Schema.Literal("Bearer"),
  expires_in: Schema.Int,
  refresh_token: Schema.String
})

const Password = Account.Password
const Login = Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 254)))

/**
 * @since 0.1.0
 * @category groups
 */
export class AuthApi extends HttpApiGroup.make("auth")
  .add(
    HttpApiEndpoint.post("register", "/register", {
      payload: Schema.Struct({
        email: Account.Email,
        username: Account.Username,
        password: Password,
        fullName: Account.FullName,
        orgName: Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 200)))
      }),
      success: Registered.pipe(HttpApiSchema.status(201)),
      error: [Problems.AlreadyExists, Problems.Forbidden]
    })
      .annotate(OpenApi.Summary, "Register an account and its organisation")
      .annotate(Requires, "public")
      .middleware(InputGuard)
      .middleware(AuthThrottle),
    HttpApiEndpoint.post("login", "/login", {
      payload: Schema.Struct({
        login: Login,
        password: Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 1024)))
      }),
      success: Auth.Tokens,
      error: Problems.Unauthenticated
    })
      .annotate(OpenApi.Summary, "Log in with a password")
      .annotate(Requires, "public")
      .middleware(InputGuard)
      .middleware(AuthThrottle),
    HttpApiEndpoint.post("token", "/token", {
      // The OAuth2 password grant (RFC 6749 section 4.3), form-encoded as OAuth2 tools send it.
      // Fields are checked by the handler, so that a bad request answers in OAuth2 terms.
      payload: Schema.Struct({
        grant_type: Schema.String.pipe(Schema.check(Schema.isMaxLength(64))),
        username: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(254)))),
        password: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(1024)))),
        scope: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(1024)))),
        // Rota's clients are public: an id or an empty secret sent by a tool is accepted and ignored.
        client_id: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(256)))),
        client_secret: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(256))))
      }).pipe(HttpApiSchema.asFormUrlEncoded()),
      success: TokenResponse,
      error: [
        Problems.InvalidGrant,
        Problems.InvalidRequest,
        Problems.UnsupportedGrantType,
        Problems.UnsupportedMediaType
      ]
    })
      .annotate(OpenApi.Summary, "Get tokens with the OAuth2 password grant")
      .annotate(
        OpenApi.Description,
        "`application/x-www-form-urlencoded` `grant_type=password&username=...&password=...`; answers " +
          "the OAuth2 token response. Throttled like `/v1/auth/login`."
      )
      .annotate(Requires, "public")
      .middleware(InputGuard)
      .middleware(AuthThrottle),
    HttpApiEndpoint.post("refresh", "/refresh", {
      payload: optionalBody(
        Schema.Struct({
          refreshToken: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(512))))
        })
      ),
      headers: {
        cookie: Schema.optionalKey(Schema.String),
        "x-requested-with": Schema.optionalKey(Schema.String)
      },
      success: Auth.Tokens,
      error: Problems.Unauthenticated
    })
      .annotate(OpenApi.Summary, "Refresh the access token")
      .annotate(Requires, "public")
      .middleware(InputGuard),
    HttpApiEndpoint.post("passwordResetRequest", "/password-reset/request", {
      payload: Schema.Struct({ email: Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 254))) }),
      success: Schema.Struct({ status: Schema.Literal("accepted") }).pipe(HttpApiSchema.status(202))
    })
      .annotate(OpenApi.Summary, "Request a password reset link")
      .annotate(Requires, "public")
      .middleware(InputGuard)
      .middleware(AuthThrottle),
    HttpApiEndpoint.post("passwordResetConfirm", "/password-reset/confirm", {
      payload: Schema.Struct({
        token: Schema.String.pipe(Schema.check(Schema.isMaxLength(2048))),
        password: Password
      }),
      success: HttpApiSchema.NoContent,
      error: [Problems.TokenInvalid, Problems.TokenUsed]
    })
      .annotate(OpenApi.Summary, "Set a new password with a reset token")
      .annotate(Requires, "public")
      .middleware(InputGuard)
      .middleware(AuthThrottle)
  )
  .add(
    HttpApiEndpoint.post("logout", "/logout", {
      payload: optionalBody(
        Schema.Struct({
          refreshToken: Schema.optionalKey(Schema.String.pipe(Schema.check(Schema.isMaxLength(512))))
        })
      ),
      success: HttpApiSchema.NoContent,
      error: Problems.Forbidden
    })
      .annotate(OpenApi.Summary, "Log out (end the session)")
      .annotate(Requires, "authenticated")
      .middleware(InputGuard)
      .middleware(Authentication),
    HttpApiEndpoint.get("me", "/me", { success: Me, error: Problems.Forbidden })
      .annotate(OpenApi.Summary, "Get the caller and their memberships")
      .annotate(Requires, "authenticated")
      .middleware(InputGuard)
      .middleware(Authentication),
    HttpApiEndpoint.post("changePassword", "/password", {
      payload: Schema.Struct({
        currentPassword: Schema.String.pipe(Schema.check(Schema.isMaxLength(1024))),
        newPassword: Password
      }),
      success: HttpApiSchema.NoContent,
      error: [Problems.Unauthenticated, Problems.Forbidden]
    })
      .annotate(OpenApi.Summary, "Change the caller's password")
      .annotate(Requires, "authenticated")
      .middleware(InputGuard)
      .middleware(Authentication)
  )
  .prefix("/v1/auth")
  .annotateMerge(OpenApi.annotations({ title: "Auth", description: "Accounts, sessions and passwords." })) {}
