/**
 * What every request gets, whichever route answers it (or none): a request id, the security
 * headers, a body size limit, problem+json for every error (framework ones included), an access
 * log line and metrics.
 *
 * @since 0.1.0
 */
import { randomUUID } from "node:crypto"
import { Ids, RequestContext } from "@rota/core"
import { SqlErrors } from "@rota/storage-pg"
import { Cause, Context, Effect, type Layer, Option, Result, Tracer, type Types } from "effect"
import {
  Headers,
  HttpIncomingMessage,
  HttpRouter,
  HttpServerError,
  HttpServerRequest,
  HttpServerRespondable,
  HttpServerResponse
} from "effect/http"
import { SqlError } from "effect/sql"
import * as Problems from "../../api/Problems.ts"
import * as LogSink_ from "../adapters/LogSink.ts"
import { LogSink } from "../adapters/LogSink.ts"
import { ServerConfig, type Settings } from "../ServerConfig.ts"
import { AllowedMethods } from "./AllowedMethods.ts"
import * as ClientAddress from "./ClientAddress.ts"
import { withEdgeHeaders } from "./EdgeHeaders.ts"
import * as HttpMetrics from "./HttpMetrics.ts"
import * as Preconditions from "./Preconditions.ts"
import * as RequestLog from "./RequestLog.ts"
import * as SecurityEvents from "./SecurityEvents.ts"

const isRequestId = (value: string | undefined): value is string =>
  value !== undefined && value.length > 0 && value.length <= 128 && /^[A-Za-z0-9._:-]+$/.test(value)

/**
 * The problem for a bare status code, for framework responses that carry no body.
 *
 * @since 0.1.0
 * @category rendering
 */
export const problemForStatus = (status: number, requestId: string) => {
  switch (status) {
    case 400:
      return new Problems.ValidationFailed({
        requestId,
        errors: [],
        detail: "The request could not be parsed."
      })
    case 401:
      return new Problems.Unauthenticated({ requestId })
    case 403:
      return new Problems.Forbidden({ requestId })
    case 404:
      return new Problems.NotFound({ requestId, detail: "No such route or resource." })
    case 405:
      return new Problems.MethodNotAllowed({
        requestId,
        detail: "The path exists; see Allow for its methods."
      })
    case 413:
      return new Problems.PayloadTooLarge({ requestId })
    case 415:
      // The framework refused the body's type; most routes take JSON, the OAuth2 token route a form.
      return new Problems.UnsupportedMediaType({
        requestId,
        detail:
          "Send the body with the Content-Type the route takes: application/json, or " +
          "application/x-www-form-urlencoded for /v1/auth/token."
      })
    case 503:
      return new Problems.Unavailable({ requestId })
    default:
      return new Problems.Internal({ requestId })
  }
}

// Seconds a client should wait before retrying a 503: outages this server can see end, or its
// timeouts give up, within seconds.
const retryAfterSeconds = "1"

// The database being unreachable (connection refused, restarting, pool exhausted, too slow to
// answer) is a temporary outage clients should retry, not a bug.
const isUnavailableReason = (reason: Cause.Reason<unknown>): boolean => {
  const error = reason._tag === "Fail" ? reason.error : reason._tag === "Die" ? reason.defect : undefined
  return SqlError.isSqlError(error) && SqlErrors.isUnavailable(error)
}

// The framework answers some errors with no body, and an unsupported content type with a line
// of plain text; both become the problem for their status. Its 499 (the client closed the
// connection first) stays as it is: no one reads it, and the access log and metrics show a client
// that left, not a failure of the server.
const isBareError = (response: HttpServerResponse.HttpServerResponse) =>
  response.status >= 400 &&
  response.status !== 499 &&
  (response.body._tag === "Empty" ||
    (response.body._tag === "Uint8Array" && response.body.contentType.startsWith("text/plain")))

type HttpApp = Effect.Effect<
  HttpServerResponse.HttpServerResponse,
  unknown,
  HttpServerRequest.HttpServerRequest
>

// What the edge reads once, when the middleware is built.
interface Setup {
  readonly config: Settings
  readonly sink: LogSink["Service"]
  readonly maxBodySize: bigint
  // Known when the routes come from an API definition (`Server.routesFor`).
  readonly allowedMethods: Option.Option<AllowedMethods["Service"]>
  readonly trustedProxies: ClientAddress.TrustedProxies
}

// The framework's answer for a cause (499 or 503 for an interruption, 500 for a defect), logged
// when it is a failure of the server's own.
const frameworkResponse = (cause: Cause.Cause<unknown>) =>
  Effect.flatMap(HttpServerError.causeResponse(cause), ([response]) =>
    response.status >= 500 && !Cause.hasInterruptsOnly(cause)
      ? Effect.as(Effect.logError("request failed", cause), response)
      : Effect.succeed(response)
  )

const renderCause = (requestId: string) => (cause: Cause.Cause<unknown>) => {
  if (!cause.reasons.some(isUnavailableReason)) return frameworkResponse(cause)
  // A request interrupted inside a statement (its client gone, the server shutting down) has
  // that statement given up and its connection abandoned, so the transaction's ROLLBACK then
  // fails as if the database were gone. The interruption is what happened: the database's part
  // is a debug line, and the request is answered as an interrupted one.
  if (Cause.hasInterrupts(cause)) {
    return Effect.andThen(
      Effect.logDebug("request interrupted during a database statement", cause),
      frameworkResponse(Cause.fromReasons(cause.reasons.filter((reason) => !isUnavailableReason(reason))))
    )
  }
  return Effect.andThen(
    Effect.logWarning("database unavailable", cause),
    Effect.map(
      HttpServerRespondable.toResponse(new Problems.Unavailable({ requestId })),
      HttpServerResponse.setHeader("retry-after", retryAfterSeconds)
    )
  )
}

// The answer the routes gave, with what HTTP derives from it: 304 for a matching `If-None-Match`,
// 405 for a path that has routes for other methods.
const derived = (
  request: HttpServerRequest.HttpServerRequest,
  answer: HttpServerResponse.HttpServerResponse,
  allowedMethods: Option.Option<AllowedMethods["Service"]>
): HttpServerResponse.HttpServerResponse => {
  if (
    (request.method === "GET" || request.method === "HEAD") &&
    answer.status === 200 &&
    Preconditions.isNotModified(request.headers["if-none-match"], answer.headers.etag)
  ) {
    return HttpServerResponse.empty({ status: 304, headers: { etag: answer.headers.etag! } })
  }
  // No route for this method: if the path has routes for others, that is a 405.
  if (answer.status === 404 && answer.body._tag === "Empty") {
    const allow = Option.match(allowedMethods, {
      onNone: () => [],
      onSome: (methods) => methods.of(request.url)
    })
    if (allow.length > 0) {
      return HttpServerResponse.empty({ status: 405, headers: { allow: allow.join(", ") } })
    }
  }
  return answer
}

// Every 503 (readiness included) tells clients when to come back; every answer gets the edge's
// headers.
const finalized = (response: HttpServerResponse.HttpServerResponse, url: string, requestId: string) =>
  withEdgeHeaders(
    response.status === 503 && response.headers["retry-after"] === undefined
      ? HttpServerResponse.setHeader(response, "retry-after", retryAfterSeconds)
      : response,
    url,
    requestId
  )

// The answer the routes gave, finished for the client. Only a bare error needs an effect (its
// problem is rendered); the rest is synchronous, as most answers are.
const completed = (
  request: HttpServerRequest.HttpServerRequest,
  answer: HttpServerResponse.HttpServerResponse,
  requestId: string,
  allowedMethods: Option.Option<AllowedMethods["Service"]>
): Effect.Effect<HttpServerResponse.HttpServerResponse> => {
  const response = derived(request, answer, allowedMethods)
  if (!isBareError(response)) return Effect.succeed(finalized(response, request.url, requestId))
  return Effect.map(
    HttpServerRespondable.toResponse(problemForStatus(response.status, requestId)),
    (problem) =>
      finalized(
        HttpServerResponse.setHeaders(
          problem,
          // The bare answer's own length and type describe the body being replaced.
          Headers.removeMany(response.headers, ["content-type", "content-length"])
        ),
        request.url,
        requestId
      )
  )
}

// One request through the edge. Its steps are plain functions around the one effect that matters,
// the routes' answer: at tens of thousands of requests a second each extra effect, metric update
// and context copy shows in the profile.
const handle = (
  setup: Setup,
  httpEffect: HttpApp
): Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest> =>
  Effect.withFiber((fiber) => {
    const context = fiber.context
    const request = Context.getUnsafe(context, HttpServerRequest.HttpServerRequest)
    const incoming = request.headers["x-request-id"]
    const requestId = Ids.RequestId.make(isRequestId(incoming) ? incoming : randomUUID())
    const started = performance.now()
    const facts: SecurityEvents.Facts = {}
    // The request's span (ours or the framework's) is already current: its ids go on the log line.
    const trace = LogSink_.traceOf(fiber)
    HttpMetrics.started(context)
    return httpEffect.pipe(
      Effect.provideService(RequestContext.CurrentRequestId, requestId),
      Effect.provideService(SecurityEvents.RequestFacts, facts),
      Effect.provideService(HttpIncomingMessage.MaxBodySize, setup.maxBodySize),
      Effect.catchCause(renderCause(requestId)),
      Effect.annotateLogs({ requestId }),
      Effect.flatMap((answer) => completed(request, answer, requestId, setup.allowedMethods)),
      Effect.map((response) => {
        const seconds = (performance.now() - started) / 1000
        HttpMetrics.finished(context, request.method, response.status, seconds)
        RequestLog.write(setup.sink, setup.config, setup.trustedProxies, {
          request,
          status: response.status,
          requestId,
          seconds,
          facts,
          trace
        })
        return response
      })
    )
  })

const spanOptions = { kind: "server", captureStackTrace: false } as const

/**
 * @since 0.1.0
 * @category middleware
 */
export const layer: Layer.Layer<never, never, ServerConfig | LogSink | HttpRouter.HttpRouter> =
  HttpRouter.middleware(
    Effect.gen(function* () {
      const config = yield* ServerConfig
      const setup: Setup = {
        config,
        sink: yield* LogSink,
        maxBodySize: BigInt(config.maxBodyBytes),
        allowedMethods: yield* Effect.serviceOption(AllowedMethods),
        // A malformed list stops the server at start-up (the throttles parse it too).
        trustedProxies: Result.getOrElse(ClientAddress.parseTrustedProxies(config.trustedProxies), () => [])
      }
      // Declared as possibly failing with `unhandled`, though it never does: the router only lets
      // middleware handle errors it was configured for, and this one renders all of them.
      return (
        httpEffect
      ): Effect.Effect<
        HttpServerResponse.HttpServerResponse,
        Types.unhandled,
        HttpServerRequest.HttpServerRequest
      > =>
        // Under the framework's request span when traces are exported, under one of our own
        // otherwise: either way every log line of the request carries its trace and span ids.
        // The span's call site would be this line for every request: it is not captured (that
        // is a `new Error()` and its stack per request).
        Effect.withFiber((fiber) =>
          Context.getOrUndefined(fiber.context, Tracer.ParentSpan) === undefined
            ? Effect.withSpan(handle(setup, httpEffect), "http.server", spanOptions)
            : handle(setup, httpEffect)
        )
    }),
    { global: true }
  )
