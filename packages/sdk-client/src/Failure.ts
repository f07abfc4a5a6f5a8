/**
 * Turns whatever the Effect client fails with into a {@link RotaProblem}.
 *
 * @since 0.1.0
 */
import { Effect, Predicate, SchemaIssue } from "effect"
import {
  clientProblem,
  type FieldIssue,
  fromBody,
  type RotaError,
  RotaProblem,
  transportCode
} from "./RotaProblem.ts"

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

const toSegment = (segment: unknown): string | number => {
  const key = Predicate.isObject(segment) && "key" in segment ? segment.key : segment
  return typeof key === "number" ? key : String(key)
}

const fieldIssues = (failure: object): ReadonlyArray<FieldIssue> => {
  const issue = (failure as { readonly issue?: SchemaIssue.Issue }).issue
  if (issue === undefined) return []
  return formatIssues(issue).issues.map((entry) => ({
    path: (entry.path ?? []).map(toSegment),
    message: entry.message
  }))
}

// The error `fetch` (or the transport's deadline and abort) threw, under the client's wrapper.
const transportCause = (failure: object): unknown => {
  const reason = (failure as { readonly reason?: { readonly cause?: unknown } }).reason
  return reason?.cause
}

/**
 * A declared problem keeps its fields; a failure with no answer is `network`, `timeout` or
 * `aborted`; input the schemas refuse before sending is `validation_failed` (status 0) with its
 * field `errors`; anything else is `unexpected_response`.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fromFailure = (failure: unknown): RotaError => {
  if (failure instanceof RotaProblem) return failure as RotaError
  if (
    Predicate.isObject(failure) &&
    Predicate.isString((failure as { code?: unknown }).code) &&
    "status" in failure
  )
    return fromBody(failure as Record<string, unknown>, Number((failure as { status: unknown }).status))
  const tag = Predicate.isObject(failure) ? (failure as { _tag?: unknown })._tag : undefined
  if (tag === "HttpClientError") {
    const cause = transportCause(failure as object)
    // A status the API does not declare (a proxy's 502, say) has a response, not a transport cause.
    const response = (failure as { reason?: { response?: { status?: number } } }).reason?.response
    if (response !== undefined)
      return clientProblem("unexpected_response", String(failure), {
        cause: failure,
        status: response.status ?? 0
      })
    return clientProblem(transportCode(cause), String(cause ?? failure), { cause: failure })
  }
  // The client checks payloads against the API's schemas before sending: a refusal there is the
  // same mistake the server would answer with `validation_failed`.
  if (tag === "SchemaError")
    return clientProblem("validation_failed", String(failure), {
      cause: failure,
      errors: fieldIssues(failure as object)
    })
  return clientProblem("unexpected_response", String(failure), { cause: failure })
}

/**
 * A problem+json answer with a status the endpoint does not declare (a 429 or 503 after the
 * retries, say) read as the problem it is; other failures go through unchanged.
 *
 * @since 0.1.0
 * @category constructors
 */
export const readUndeclared = (failure: unknown): Effect.Effect<never, unknown> => {
  const response = Predicate.isObject(failure)
    ? (
        failure as {
          readonly reason?: {
            readonly response?: { readonly status: number; readonly json: Effect.Effect<unknown, unknown> }
          }
        }
      ).reason?.response
    : undefined
  if ((failure as { _tag?: unknown } | undefined)?._tag !== "HttpClientError" || response === undefined)
    return Effect.fail(failure)
  return response.json.pipe(
    Effect.matchEffect({
      onFailure: () => Effect.fail(failure),
      onSuccess: (body) =>
        Effect.fail(
          Predicate.isObject(body) && Predicate.isString((body as { code?: unknown }).code)
            ? fromBody(body as Record<string, unknown>, response.status)
            : failure
        )
    })
  )
}
