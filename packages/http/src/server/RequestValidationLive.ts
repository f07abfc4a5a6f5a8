/**
 * Renders request decoding failures as `validation_failed` problems listing each field issue,
 * and refuses query parameters on endpoints that declare none (unknown parameters are refused
 * like unknown body fields, whether or not the endpoint has a query schema).
 *
 * @since 0.1.0
 */
import { RequestContext } from "@rota/core"
import { Effect, Layer, SchemaIssue, type Types } from "effect"
import { HttpServerRequest } from "effect/http"
import { type HttpApiEndpoint, HttpApiError } from "effect/http-api"
import * as Problems from "../api/Problems.ts"
import { RequestValidation } from "../api/RequestValidation.ts"

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

const slotNames = {
  Params: "params",
  Headers: "headers",
  Query: "query",
  Body: "body",
  Payload: "body",
  ResponseHeaders: "response"
} as const

const toSegment = (segment: unknown): string | number => {
  const key = typeof segment === "object" && segment !== null && "key" in segment ? segment.key : segment
  return typeof key === "number" ? key : String(key)
}

const render = (
  error: HttpApiError.HttpApiSchemaError,
  requestId: string
): Effect.Effect<never, Problems.Internal | Problems.ValidationFailed> => {
  // A response that fails to encode is our bug, not the client's: report it as a 500.
  if (error.kind === "Body" || error.kind === "ResponseHeaders") {
    return Effect.andThen(
      Effect.logError("response encoding failed", error.cause),
      Effect.fail(new Problems.Internal({ requestId }))
    )
  }
  const slot = slotNames[error.kind]
  const errors = formatIssues(error.cause.issue).issues.map((issue) => ({
    path: [slot, ...(issue.path ?? []).map(toSegment)],
    message: issue.message
  }))
  return Effect.fail(new Problems.ValidationFailed({ requestId, errors }))
}

// GET endpoints may read their payload from the query string.
const takesNoQuery = (endpoint: HttpApiEndpoint.Top) =>
  endpoint.query === undefined && (endpoint.method !== "GET" || endpoint.payload.size === 0)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.succeed(RequestValidation, (httpEffect, { endpoint }) =>
  Effect.gen(function* () {
    const requestId = yield* RequestContext.CurrentRequestId
    if (takesNoQuery(endpoint)) {
      const params = yield* HttpServerRequest.ParsedSearchParams
      const unknown = Object.keys(params)
      if (unknown.length > 0) {
        return yield* new Problems.ValidationFailed({
          requestId,
          errors: unknown.map((name) => ({ path: ["query", name], message: "Unknown query parameter" }))
        })
      }
    }
    return yield* Effect.catch(
      httpEffect,
      (error): Effect.Effect<never, Types.unhandled | Problems.Internal | Problems.ValidationFailed> =>
        HttpApiError.HttpApiSchemaError.is(error) ? render(error, requestId) : Effect.fail(error)
    )
  })
)
