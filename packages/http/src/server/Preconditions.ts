/**
 * `If-Match` for writes to versioned entities: PATCH must send it (428 without), DELETE and
 * state-changing POSTs may. The use case compares the version atomically with its write.
 *
 * @since 0.1.0
 */
import { RequestContext, type Versioning } from "@rota/core"
import { Effect } from "effect"
import * as Problems from "../api/Problems.ts"

const strongEtag = /^"(\d{1,10})"$/

/**
 * The version named by an `If-Match` header: `undefined` when absent (and allowed) or `*`.
 * Anything but a strong `"<version>"` can never match, so it is a 412.
 *
 * @since 0.1.0
 * @category preconditions
 */
export const expectedVersion = (
  ifMatch: string | undefined,
  options: { readonly required: boolean }
): Effect.Effect<Versioning.Expected, Problems.PreconditionRequired | Problems.PreconditionFailed> =>
  Effect.flatMap(
    Effect.service(RequestContext.CurrentRequestId),
    (
      requestId
    ): Effect.Effect<Versioning.Expected, Problems.PreconditionRequired | Problems.PreconditionFailed> => {
      if (ifMatch === undefined) {
        return options.required
          ? Effect.fail(new Problems.PreconditionRequired({ requestId }))
          : Effect.succeed(undefined)
      }
      const value = ifMatch.trim()
      if (value === "*") return Effect.succeed(undefined)
      const match = strongEtag.exec(value)
      return match === null
        ? Effect.fail(
            new Problems.PreconditionFailed({ requestId, detail: "If-Match must be a strong ETag." })
          )
        : Effect.succeed(Number(match[1]))
    }
  )

/**
 * True when an `If-None-Match` header names `etag` (or is `*`): the client's copy is current.
 *
 * @since 0.1.0
 * @category preconditions
 */
export const isNotModified = (ifNoneMatch: string | undefined, etag: string | undefined): boolean =>
  ifNoneMatch !== undefined &&
  etag !== undefined &&
  ifNoneMatch.split(",").some((candidate) => {
    const tag = candidate.trim()
    return tag === "*" || tag === etag || tag === `W/${etag}`
  })
