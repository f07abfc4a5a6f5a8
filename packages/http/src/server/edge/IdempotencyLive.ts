/**
 * The server side of `Idempotency-Key`. A request with a key is claimed first (committed at
 * once, so a concurrent duplicate answers 409 without waiting), then runs in one transaction
 * that also stores its answer, so the action and the record of it commit together. Definitive
 * answers (2xx, 4xx) are replayed byte for byte; a 5xx forgets the key so a retry runs again.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { Idempotency, RequestContext, Transactor } from "@rota/core"
import { Cause, DateTime, Effect, Exit, Layer, Option, Schema, type Types } from "effect"
import { HttpServerRequest, HttpServerRespondable, HttpServerResponse } from "effect/http"
import { IdempotencyRequired, Idempotent } from "../../api/Idempotency.ts"
import * as Problems from "../../api/Problems.ts"
import * as DryRun from "./DryRun.ts"
import * as RequestValidationLive from "./RequestValidationLive.ts"

// The headers a replay must repeat; the edge adds the rest (request id, security headers).
const keptHeaders = ["content-type", "etag", "location"]

const isKey = Schema.is(Idempotency.Key)

// A body that is not JSON (or is empty) is fingerprinted as its raw text.
const fingerprintOf = (method: string, url: string, body: string): string => {
  const canonical = Option.match(RequestValidationLive.parseJson(body), {
    onNone: () => body,
    onSome: Idempotency.canonicalJson
  })
  return createHash("sha256")
    .update(`${method} ${url.split("?")[0]}\n${canonical}`)
    .digest("hex")
}

const toStored = (
  response: HttpServerResponse.HttpServerResponse
): Idempotency.StoredResponse | undefined => {
  const body = response.body
  const text =
    body._tag === "Empty" ? "" : body._tag === "Uint8Array" ? new TextDecoder().decode(body.body) : undefined
  if (text === undefined) return undefined
  const headers: Record<string, string> = {}
  for (const name of keptHeaders) {
    const value =
      name === "content-type" && body._tag === "Uint8Array" ? body.contentType : response.headers[name]
    if (value !== undefined) headers[name] = value
  }
  return { status: response.status, headers, body: text }
}

const replay = (stored: Idempotency.StoredResponse) => {
  const { "content-type": contentType, ...headers } = stored.headers
  const response =
    stored.body.length === 0
      ? HttpServerResponse.empty({ status: stored.status, headers })
      : HttpServerResponse.text(stored.body, {
          status: stored.status,
          headers,
          ...(contentType === undefined ? {} : { contentType })
        })
  return HttpServerResponse.setHeader(response, "idempotency-replayed", "true")
}

const make = (required: boolean) =>
  Effect.gen(function* () {
    const store = yield* Idempotency.IdempotencyStore
    const transactor = yield* Transactor.Transactor
    return (
      httpEffect: Effect.Effect<
        HttpServerResponse.HttpServerResponse,
        Types.unhandled,
        RequestContext.CurrentActor
      >
    ) =>
      Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        const requestId = yield* RequestContext.CurrentRequestId
        const key = request.headers["idempotency-key"]
        if (key === undefined) {
          if (required) return yield* new Problems.IdempotencyKeyRequired({ requestId })
          return yield* transactor.withTransaction(httpEffect)
        }
        // A dry run keeps nothing, its key included: the real request may use the same key.
        if (DryRun.requested(request)) return yield* httpEffect
        if (!isKey(key)) {
          return yield* new Problems.ValidationFailed({
            requestId,
            errors: [
              { path: ["headers", "idempotency-key"], message: "Expected 1..255 printable characters" }
            ]
          })
        }
        const actor = yield* RequestContext.CurrentActor
        const scope = { orgId: actor.orgId, accountId: actor.accountId, key }
        const body = yield* Effect.orElseSucceed(request.text, () => "")
        const now = yield* DateTime.now
        const claim = yield* store.claim(scope, fingerprintOf(request.method, request.url, body), now)
        switch (claim._tag) {
          case "Replay":
            return replay(claim.response)
          case "Mismatch":
            return yield* new Problems.IdempotencyKeyReused({ requestId })
          case "InProgress":
            return yield* new Problems.IdempotencyInProgress({ requestId })
          case "Claimed":
            break
        }
        const exit = yield* Effect.exit(
          transactor.withTransaction(
            Effect.tap(RequestValidationLive.withFieldIssues(httpEffect), (response) => {
              const stored = toStored(response)
              return stored !== undefined && Idempotency.isStorable(response.status)
                ? store.complete(scope, stored)
                : Effect.void
            })
          )
        ).pipe(
          // An interrupted request (client gone, server stopping) rolled back: free its key so a
          // retry runs now instead of answering "in progress" until the claim expires.
          Effect.onInterrupt(() => store.release(scope))
        )
        if (Exit.isSuccess(exit)) return exit.value
        // A problem (4xx) is a definitive answer: keep it, and answer exactly what was kept.
        const failure = Cause.findErrorOption(exit.cause)
        if (failure._tag === "Some" && HttpServerRespondable.isRespondable(failure.value)) {
          const response = yield* HttpServerRespondable.toResponse(failure.value)
          const stored = toStored(response)
          if (stored !== undefined && Idempotency.isStorable(response.status)) {
            yield* store.complete(scope, stored)
            return response
          }
        }
        yield* store.release(scope)
        return yield* Effect.failCause(exit.cause)
      })
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.mergeAll(
  Layer.effect(Idempotent, make(false)),
  Layer.effect(IdempotencyRequired, make(true))
)
