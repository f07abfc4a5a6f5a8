/**
 * `Prefer: dry-run` on any write: the request runs as it would (permissions, validation,
 * conflicts on the ledger, computed fields), in one transaction that is always rolled back, so
 * the answer is the real write's (status and body) and nothing is kept: no row, no audit event,
 * no outbox message (so no webhook and no mail), no idempotency record. The answer says so with
 * `Preference-Applied: dry-run`.
 *
 * @since 0.1.0
 */
import type { Transactor } from "@rota/core"
import { Effect } from "effect"
import { type HttpServerRequest, HttpServerRespondable, HttpServerResponse } from "effect/http"
import * as RequestValidationLive from "./RequestValidationLive.ts"

const reads = new Set(["GET", "HEAD", "OPTIONS"])

// RFC 7240: a comma-separated list of preferences, each maybe with a value and parameters.
const asksDryRun = (prefer: string): boolean =>
  prefer.split(",").some((preference) => preference.split(";")[0]!.trim().toLowerCase() === "dry-run")

/**
 * Whether the request is a write that asks not to be kept.
 *
 * @since 0.1.0
 * @category rules
 */
export const requested = (request: HttpServerRequest.HttpServerRequest): boolean => {
  const prefer = request.headers.prefer
  return prefer !== undefined && !reads.has(request.method) && asksDryRun(prefer)
}

// Carries the answer out of the transaction as a failure, which is what rolls it back.
class Rehearsed {
  readonly _tag = "Rehearsed"
  readonly response: HttpServerResponse.HttpServerResponse
  constructor(response: HttpServerResponse.HttpServerResponse) {
    this.response = response
  }
}

const applied = HttpServerResponse.setHeader("preference-applied", "dry-run")

/**
 * Runs the write in a transaction that never commits and answers what it would have answered.
 * A refusal (4xx) is rendered here, as the real write renders it, so it carries the header too;
 * anything else fails as it would have.
 *
 * @since 0.1.0
 * @category middleware
 */
export const rehearse = <E, R>(
  transactor: Transactor.Transactor["Service"],
  httpEffect: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>
) =>
  transactor
    .withTransaction(
      Effect.flatMap(RequestValidationLive.withFieldIssues(httpEffect), (response) =>
        Effect.fail(new Rehearsed(response))
      )
    )
    .pipe(
      Effect.catch((failure) =>
        failure instanceof Rehearsed
          ? Effect.succeed(applied(failure.response))
          : HttpServerRespondable.isRespondable(failure)
            ? Effect.map(HttpServerRespondable.toResponse(failure), applied)
            : Effect.fail(failure)
      )
    )
