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
