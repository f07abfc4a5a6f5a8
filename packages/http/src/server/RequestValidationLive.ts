/**
 * Renders request decoding failures as `validation_failed` problems listing each field issue.
 *
 * @since 0.1.0
 */
import { RequestContext } from "@rota/core"
import { Effect, SchemaIssue } from "effect"
import { HttpApiMiddleware } from "effect/http-api"
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

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = HttpApiMiddleware.layerSchemaErrorTransform(RequestValidation, (error) =>
  Effect.flatMap(
    Effect.service(RequestContext.CurrentRequestId),
    (requestId): Effect.Effect<never, Problems.Internal | Problems.ValidationFailed> => {
      // A response that fails to encode is our bug, not the client's: report it as a 500.
      if (error.kind === "Body" || error.kind === "ResponseHeaders") {
        return Effect.andThen(
          Effect.logError("response encoding failed", error.cause),
          Effect.fail(new Problems.Internal({ requestId }))
        )
      }
      const slot = slotNames[error.kind]
      const errors = formatIssues(error.cause.issue).issues.map((issue) => ({
        path: [
          slot,
          ...(issue.path ?? []).map((segment) => {
            const key =
              typeof segment === "object" && segment !== null && "key" in segment ? segment.key : segment
            return typeof key === "number" ? key : String(key)
          })
        ],
        message: issue.message
      }))
      return Effect.fail(new Problems.ValidationFailed({ requestId, errors }))
    }
  )
)
