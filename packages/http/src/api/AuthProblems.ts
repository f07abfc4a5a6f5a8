/**
 * The problems of who is asking: no or a bad credential, a refused OAuth2 token request, a
 * permission missing, a one-time token already spent.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { HttpApiError } from "effect/http-api"
import { fields, type } from "./ProblemFields.ts"

/** @since 0.1.0 @category problems */
export class TokenInvalid extends HttpApiError.Problem<TokenInvalid>()(
  "TokenInvalidProblem",
  { type: type("token_invalid"), status: 400, title: "Token invalid or expired" },
  fields("token_invalid")
) {}

/** @since 0.1.0 @category problems */
export class Unauthenticated extends HttpApiError.Problem<Unauthenticated>()(
  "UnauthenticatedProblem",
  { type: type("unauthenticated"), status: 401, title: "Authentication required" },
  fields("unauthenticated")
) {}

// RFC 6749 section 5.2: OAuth2 clients read `error` (and `error_description`); the problem fields
// stay beside it, so the token route fails the way every other route does.
const oauthFields = <const Code extends string>(code: Code) => ({
  ...fields(code),
  error: Schema.Literal(code),
  error_description: Schema.String
})

/** @since 0.1.0 @category problems */
export class InvalidGrant extends HttpApiError.Problem<InvalidGrant>()(
  "InvalidGrantProblem",
  { type: type("invalid_grant"), status: 400, title: "Invalid username or password" },
  oauthFields("invalid_grant")
) {}

/** @since 0.1.0 @category problems */
export class InvalidRequest extends HttpApiError.Problem<InvalidRequest>()(
  "InvalidRequestProblem",
  { type: type("invalid_request"), status: 400, title: "Invalid token request" },
  oauthFields("invalid_request")
) {}

/** @since 0.1.0 @category problems */
export class UnsupportedGrantType extends HttpApiError.Problem<UnsupportedGrantType>()(
  "UnsupportedGrantTypeProblem",
  { type: type("unsupported_grant_type"), status: 400, title: "Unsupported grant type" },
  oauthFields("unsupported_grant_type")
) {}

/** @since 0.1.0 @category problems */
export class Forbidden extends HttpApiError.Problem<Forbidden>()(
  "ForbiddenProblem",
  { type: type("forbidden"), status: 403, title: "Forbidden" },
  fields("forbidden")
) {}

/** @since 0.1.0 @category problems */
export class TokenUsed extends HttpApiError.Problem<TokenUsed>()(
  "TokenUsedProblem",
  { type: type("token_used"), status: 409, title: "Token already used" },
  fields("token_used")
) {}
