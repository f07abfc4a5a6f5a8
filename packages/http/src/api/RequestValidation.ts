/**
 * The API-wide middleware that renders request decoding failures (bad JSON, unknown or missing
 * fields, malformed headers and query parameters) as `validation_failed` problems, and declares
 * the problems every endpoint may answer with.
 *
 * @since 0.1.0
 */
import { HttpApiMiddleware } from "effect/http-api"
import * as Problems from "./Problems.ts"

/**
 * @since 0.1.0
 * @category middleware
 */
export class RequestValidation extends HttpApiMiddleware.Service<RequestValidation>()(
  "@rota/http/RequestValidation",
  { error: Problems.everywhere }
) {}

/**
 * Input rules no schema states: query parameters an endpoint does not declare, and NUL
 * characters (which PostgreSQL text cannot hold). Every group adds it first, so it runs after
 * authentication and tenant checks, in the order the API promises.
 *
 * @since 0.1.0
 * @category middleware
 */
export class InputGuard extends HttpApiMiddleware.Service<InputGuard>()("@rota/http/InputGuard", {
  error: Problems.ValidationFailed
}) {}
