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
      .annotate(Requires, "public")
      .middleware(InputGuard),
    HttpApiEndpoint.post("passwordResetRequest", "/password-reset/request", {
      payload: Schema.Struct({ email: Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 254))) }),
      success: Schema.Struct({ status: Schema.Literal("accepted") }).pipe(HttpApiSchema.status(202))
    })
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
      success: HttpApiSchema.NoContent
    })
      .annotate(Requires, "authenticated")
      .middleware(InputGuard)
      .middleware(Authentication),
    HttpApiEndpoint.get("me", "/me", { success: Me })
      .annotate(Requires, "authenticated")
      .middleware(InputGuard)
      .middleware(Authentication),
    HttpApiEndpoint.post("changePassword", "/password", {
      payload: Schema.Struct({
        currentPassword: Schema.String.pipe(Schema.check(Schema.isMaxLength(1024))),
        newPassword: Password
      }),
      success: HttpApiSchema.NoContent,
      error: Problems.Unauthenticated
    })
      .annotate(Requires, "authenticated")
      .middleware(InputGuard)
      .middleware(Authentication)
  )
  .prefix("/v1/auth")
  .annotateMerge(OpenApi.annotations({ title: "Auth", description: "Accounts, sessions and passwords." })) {}
