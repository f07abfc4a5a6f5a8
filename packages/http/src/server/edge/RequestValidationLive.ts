/**
 * Renders request decoding failures as `validation_failed` problems listing each field issue,
 * and refuses query parameters on endpoints that declare none (unknown parameters are refused
 * like unknown body fields, whether or not the endpoint has a query schema).
 *
 * @since 0.1.0
 */
import { Imports, RequestContext } from "@rota/core"
import { ByteSize, Effect, Layer, Option, SchemaIssue, type Types } from "effect"
import { HttpIncomingMessage, HttpServerRequest, HttpServerRespondable } from "effect/http"
import { type HttpApiEndpoint, HttpApiError } from "effect/http-api"
import * as Problems from "../../api/Problems.ts"
import { InputGuard, RequestValidation } from "../../api/RequestValidation.ts"
import * as Uploads from "../handlers/Uploads.ts"
import { ServerConfig } from "../ServerConfig.ts"
import * as JsonNesting from "./JsonNesting.ts"

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

// A response that fails to encode is our bug, not the client's.
const isResponseSide = (error: HttpApiError.HttpApiSchemaError) =>
  error.kind === "Body" || error.kind === "ResponseHeaders"

const fieldIssues = (error: HttpApiError.HttpApiSchemaError, requestId: string) => {
  const slot = slotNames[error.kind]
  const errors = formatIssues(error.cause.issue).issues.map((issue) => ({
    path: [slot, ...(issue.path ?? []).map(toSegment)],
    message: issue.message
  }))
  return new Problems.ValidationFailed({ requestId, errors })
}

// NUL and unpaired UTF-16 surrogates are valid in a JavaScript string but not in PostgreSQL
// text or JSON, so they are refused as input rather than failing deep in a query as a 500.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching NUL is the point.
const illFormed = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * Whether a value (a string, or a parsed body walked with its own stack: the body's depth is
 * checked before, but this must not be the reader that finds out otherwise) holds text that
 * PostgreSQL cannot store.
 *
 * @since 0.1.0
 * @category validation
 */
export const hasIllFormedText = (value: unknown): boolean => {
  const pending: Array<unknown> = [value]
  while (pending.length > 0) {
    const current = pending.pop()
    if (typeof current === "string") {
      if (illFormed.test(current)) return true
    } else if (Array.isArray(current)) {
      pending.push(...current)
    } else if (current !== null && typeof current === "object") {
      for (const [key, field] of Object.entries(current)) {
        if (illFormed.test(key)) return true
        pending.push(field)
      }
    }
  }
  return false
}

/**
 * A body parsed as JSON, or none when it is not JSON. `JSON.parse` itself: the same parse
 * through `Schema.fromJsonString(Schema.Unknown)` runs Schema's machinery around it (4-10 us
 * for a booking's 150 bytes, against about 1 us), and every keyed write parses its body here
 * for its fingerprint, besides the decoder's own parse.
 *
 * @since 0.1.0
 * @category validation
 */
export const parseJson = (text: string): Option.Option<unknown> => {
  try {
    return Option.some(JSON.parse(text))
  } catch {
    return Option.none()
  }
}

// Raw text is checked as it is. JSON can also spell those characters as `\u` escapes, so a body
// with an escape is parsed to check its strings; others are not (a parse that fails throws, and
// every GET has an empty body).
const hasIllFormedJson = (body: string) =>
  body.includes("\\u") && Option.exists(parseJson(body), hasIllFormedText)

const hasContentType = (request: HttpServerRequest.HttpServerRequest) =>
  (request.headers["content-type"] ?? "").trim().length > 0

// GET endpoints may read their payload from the query string.
const takesNoQuery = (endpoint: HttpApiEndpoint.Top) =>
  endpoint.query === undefined && (endpoint.method !== "GET" || endpoint.payload.size === 0)

/**
 * Renders a request decoding failure of `effect` as its `validation_failed` problem, listing
 * the field issues; other failures pass through. A middleware that turns failures into
 * responses itself (the idempotency record, the throttles) applies this first: the framework's
 * own response for a decoding failure is a bare 400 that has lost the field paths.
 *
 * @since 0.1.0
 * @category rendering
 */
export const withFieldIssues = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, E | Problems.ValidationFailed, R> =>
  Effect.catch(
    effect,
    (error): Effect.Effect<never, E | Problems.ValidationFailed> =>
      HttpApiError.HttpApiSchemaError.is(error) && !isResponseSide(error)
        ? Effect.flatMap(RequestContext.CurrentRequestId, (requestId) =>
            Effect.fail(fieldIssues(error, requestId))
          )
        : Effect.fail(error)
  )

/**
 * Renders decoding failures; declared on the whole API. A response that fails to encode is
 * logged and answered as a 500.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.succeed(RequestValidation, (httpEffect) =>
  Effect.catch(
    withFieldIssues(httpEffect),
    (error): Effect.Effect<never, Types.unhandled | Problems.Internal | Problems.ValidationFailed> =>
      HttpApiError.HttpApiSchemaError.is(error)
        ? Effect.flatMap(RequestContext.CurrentRequestId, (requestId) =>
            Effect.andThen(
              Effect.logError("response encoding failed", error.cause),
              Effect.fail(new Problems.Internal({ requestId }))
            )
          )
        : Effect.fail(error)
  )
)

const illFormedBody = [{ path: ["body"], message: "NUL and unpaired surrogate characters are not allowed" }]
// A CSV import is larger than a JSON body may be, and is not JSON: it is read here once, within
// the import limit (413 beyond), and the import reads those bytes.
const csvBodyLimit = ByteSize.bytes(Imports.maxBytes)

/**
 * Refuses undeclared query parameters, NUL characters (naming the parameter) and bodies nested
 * deeper than {@link JsonNesting.maxDepth}; runs after authentication. A
 * multipart upload is binary, so its body is not checked as text: it is read here once, within
 * the upload limit (413 beyond), and every later reader (the idempotency fingerprint, the upload
 * handler) gets those bytes. A CSV import likewise, within the import limit.
 *
 * @since 0.1.0
 * @category layers
 */
export const inputGuard = Layer.effect(
  InputGuard,
  Effect.map(Effect.service(ServerConfig), (config) => {
    const maxUploadBody = Uploads.uploadBodyLimit(config.maxUploadBytes)
    return InputGuard.of((httpEffect, { endpoint }) =>
      Effect.gen(function* () {
        const requestId = yield* RequestContext.CurrentRequestId
        const params = yield* HttpServerRequest.ParsedSearchParams
        if (takesNoQuery(endpoint)) {
          const unknown = Object.keys(params)
          if (unknown.length > 0) {
            return yield* new Problems.ValidationFailed({
              requestId,
              errors: unknown.map((name) => ({ path: ["query", name], message: "Unknown query parameter" }))
            })
          }
        }
        const badQuery = Object.entries(params)
          .filter(([, value]) => hasIllFormedText(value))
          .map(([name]) => ({
            path: ["query", name],
            message: "NUL and unpaired surrogate characters are not allowed"
          }))
        if (badQuery.length > 0) return yield* new Problems.ValidationFailed({ requestId, errors: badQuery })
        const request = yield* HttpServerRequest.HttpServerRequest
        if (Uploads.isMultipart(request)) {
          const read = yield* Effect.result(
            Effect.provideService(request.arrayBuffer, HttpIncomingMessage.MaxBodySize, maxUploadBody)
          )
          // The guard may answer only `validation_failed` itself, so a body past the limit is
          // answered as the 413 response it is.
          if (read._tag === "Failure")
            return yield* HttpServerRespondable.toResponse(new Problems.PayloadTooLarge({ requestId }))
          return yield* httpEffect
        }
        if (Uploads.isCsv(request)) {
          const read = yield* Effect.result(
            Effect.provideService(request.text, HttpIncomingMessage.MaxBodySize, csvBodyLimit)
          )
          if (read._tag === "Failure")
            return yield* HttpServerRespondable.toResponse(new Problems.PayloadTooLarge({ requestId }))
          if (illFormed.test(read.success))
            return yield* new Problems.ValidationFailed({ requestId, errors: illFormedBody })
          return yield* httpEffect
        }
        const body = request.method === "GET" ? "" : yield* Effect.orElseSucceed(request.text, () => "")
        // The decoder would read a body without a Content-Type as JSON; it is refused instead,
        // as the framework refuses a type the route does not take.
        if (body.length > 0 && endpoint.payload.size > 0 && !hasContentType(request)) {
          return yield* HttpServerRespondable.toResponse(
            new Problems.UnsupportedMediaType({
              requestId,
              detail: "Send the body as JSON, with Content-Type: application/json."
            })
          )
        }
        // Refused before anything parses or walks it, so no reader recurses that deep.
        if (JsonNesting.exceeds(body)) {
          return yield* new Problems.ValidationFailed({
            requestId,
            errors: [{ path: ["body"], message: `Nested deeper than ${JsonNesting.maxDepth} levels` }]
          })
        }
        // A body that is not JSON is left to the decoder, which answers for it.
        if (illFormed.test(body) || hasIllFormedJson(body)) {
          return yield* new Problems.ValidationFailed({ requestId, errors: illFormedBody })
        }
        return yield* httpEffect
      })
    )
  })
)
