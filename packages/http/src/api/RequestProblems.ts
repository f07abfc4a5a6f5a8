/**
 * The problems of a request the server will not take as sent: invalid input, a missing or reused
 * header, a failed precondition, a method or body the route does not accept.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { HttpApiError } from "effect/http-api"
import { fields, type } from "./ProblemFields.ts"

/**
 * One field problem of a 400.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FieldIssue = Schema.Struct({
  path: Schema.Array(Schema.Union([Schema.String, Schema.Number])),
  message: Schema.String
})

/** @since 0.1.0 @category problems */
export class ValidationFailed extends HttpApiError.Problem<ValidationFailed>()(
  "ValidationFailedProblem",
  { type: type("validation_failed"), status: 400, title: "Validation failed" },
  { ...fields("validation_failed"), errors: Schema.Array(FieldIssue) }
) {}

/** @since 0.1.0 @category problems */
export class MissingOrg extends HttpApiError.Problem<MissingOrg>()(
  "MissingOrgProblem",
  { type: type("missing_org"), status: 400, title: "X-Org-Id header missing or malformed" },
  fields("missing_org")
) {}

/** @since 0.1.0 @category problems */
export class IdempotencyKeyRequired extends HttpApiError.Problem<IdempotencyKeyRequired>()(
  "IdempotencyKeyRequiredProblem",
  { type: type("idempotency_key_required"), status: 400, title: "Idempotency-Key header required" },
  fields("idempotency_key_required")
) {}

/** @since 0.1.0 @category problems */
export class IdempotencyInProgress extends HttpApiError.Problem<IdempotencyInProgress>()(
  "IdempotencyInProgressProblem",
  {
    type: type("idempotency_in_progress"),
    status: 409,
    title: "A request with this Idempotency-Key is in progress"
  },
  fields("idempotency_in_progress")
) {}

/** @since 0.1.0 @category problems */
export class PreconditionFailed extends HttpApiError.Problem<PreconditionFailed>()(
  "PreconditionFailedProblem",
  { type: type("precondition_failed"), status: 412, title: "Precondition failed" },
  fields("precondition_failed")
) {}

/** @since 0.1.0 @category problems */
export class MethodNotAllowed extends HttpApiError.Problem<MethodNotAllowed>()(
  "MethodNotAllowedProblem",
  { type: type("method_not_allowed"), status: 405, title: "Method not allowed" },
  fields("method_not_allowed")
) {}

/** @since 0.1.0 @category problems */
export class PayloadTooLarge extends HttpApiError.Problem<PayloadTooLarge>()(
  "PayloadTooLargeProblem",
  { type: type("payload_too_large"), status: 413, title: "Payload too large" },
  fields("payload_too_large")
) {}

/** @since 0.1.0 @category problems */
export class UnsupportedMediaType extends HttpApiError.Problem<UnsupportedMediaType>()(
  "UnsupportedMediaTypeProblem",
  { type: type("unsupported_media_type"), status: 415, title: "Unsupported media type" },
  fields("unsupported_media_type")
) {}

/** @since 0.1.0 @category problems */
export class IdempotencyKeyReused extends HttpApiError.Problem<IdempotencyKeyReused>()(
  "IdempotencyKeyReusedProblem",
  { type: type("idempotency_key_reused"), status: 422, title: "Idempotency-Key reused with another request" },
  fields("idempotency_key_reused")
) {}

/** @since 0.1.0 @category problems */
export class PreconditionRequired extends HttpApiError.Problem<PreconditionRequired>()(
  "PreconditionRequiredProblem",
  { type: type("precondition_required"), status: 428, title: "If-Match header required" },
  fields("precondition_required")
) {}
