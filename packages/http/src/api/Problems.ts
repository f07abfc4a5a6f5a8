/**
 * Every error the API answers with, as RFC 9457 problem+json. Each problem has a stable `code`
 * (what clients branch on), a `type` URI derived from it, and the `requestId` to quote when
 * reporting it. Declaring them as schemas puts them in the OpenAPI document and gives the SDK
 * typed errors.
 *
 * @since 0.1.0
 */
import { TransferRows } from "@rota/core"
import { Schema } from "effect"
import { HttpApiError } from "effect/http-api"

const fields = <const Code extends string>(code: Code) => ({
  code: Schema.tag(code),
  requestId: Schema.String,
  detail: Schema.optionalKey(Schema.String)
})

const type = <const Code extends string>(code: Code) => `urn:rota:problem:${code}` as const

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
export class TokenInvalid extends HttpApiError.Problem<TokenInvalid>()(
  "TokenInvalidProblem",
  { type: type("token_invalid"), status: 400, title: "Token invalid or expired" },
  fields("token_invalid")
) {}

/** @since 0.1.0 @category problems */
export class Unauthenticated extends HttpApiError.Problem<Unauthenticated>()(
  "UnauthenticatedProblem",
  { type: type("unauthenticated"), status: 401, title: "Authentication required" },
  fields("unauthenticated")
) {}

// RFC 6749 section 5.2: OAuth2 clients read `error` (and `error_description`); the problem fields
// stay beside it, so the token route fails the way every other route does.
const oauthFields = <const Code extends string>(code: Code) => ({
  ...fields(code),
  error: Schema.Literal(code),
  error_description: Schema.String
})

/** @since 0.1.0 @category problems */
export class InvalidGrant extends HttpApiError.Problem<InvalidGrant>()(
  "InvalidGrantProblem",
  { type: type("invalid_grant"), status: 400, title: "Invalid username or password" },
  oauthFields("invalid_grant")
) {}

/** @since 0.1.0 @category problems */
export class InvalidRequest extends HttpApiError.Problem<InvalidRequest>()(
  "InvalidRequestProblem",
  { type: type("invalid_request"), status: 400, title: "Invalid token request" },
  oauthFields("invalid_request")
) {}

/** @since 0.1.0 @category problems */
export class UnsupportedGrantType extends HttpApiError.Problem<UnsupportedGrantType>()(
  "UnsupportedGrantTypeProblem",
  { type: type("unsupported_grant_type"), status: 400, title: "Unsupported grant type" },
  oauthFields("unsupported_grant_type")
) {}

/** @since 0.1.0 @category problems */
export class Forbidden extends HttpApiError.Problem<Forbidden>()(
  "ForbiddenProblem",
  { type: type("forbidden"), status: 403, title: "Forbidden" },
  fields("forbidden")
) {}

/** @since 0.1.0 @category problems */
export class NotFound extends HttpApiError.Problem<NotFound>()(
  "NotFoundProblem",
  { type: type("not_found"), status: 404, title: "Not found" },
  fields("not_found")
) {}

/**
 * One clashing claim on the time ledger.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Clash = Schema.Struct({
  subjectType: Schema.String,
  subjectId: Schema.String,
  startAt: Schema.String,
  endAt: Schema.String
})

/** @since 0.1.0 @category problems */
export class Conflict extends HttpApiError.Problem<Conflict>()(
  "ConflictProblem",
  { type: type("conflict"), status: 409, title: "Conflict" },
  { ...fields("conflict"), conflicts: Schema.Array(Clash) }
) {}

/** @since 0.1.0 @category problems */
export class InvalidTransition extends HttpApiError.Problem<InvalidTransition>()(
  "InvalidTransitionProblem",
  { type: type("invalid_transition"), status: 409, title: "Invalid state transition" },
  {
    ...fields("invalid_transition"),
    from: Schema.String,
    to: Schema.String,
    allowed: Schema.Array(Schema.String)
  }
) {}

/** @since 0.1.0 @category problems */
export class AlreadyExists extends HttpApiError.Problem<AlreadyExists>()(
  "AlreadyExistsProblem",
  { type: type("already_exists"), status: 409, title: "Already exists" },
  { ...fields("already_exists"), field: Schema.optionalKey(Schema.String) }
) {}

/** @since 0.1.0 @category problems */
export class InsufficientStock extends HttpApiError.Problem<InsufficientStock>()(
  "InsufficientStockProblem",
  { type: type("insufficient_stock"), status: 409, title: "Not enough in stock" },
  { ...fields("insufficient_stock"), onHand: Schema.Int, requested: Schema.Int }
) {}

/** @since 0.1.0 @category problems */
export class NotBookable extends HttpApiError.Problem<NotBookable>()(
  "NotBookableProblem",
  { type: type("not_bookable"), status: 409, title: "Not bookable" },
  { ...fields("not_bookable"), unitIds: Schema.Array(Schema.String) }
) {}

/** @since 0.1.0 @category problems */
export class UnitNotReturned extends HttpApiError.Problem<UnitNotReturned>()(
  "UnitNotReturnedProblem",
  { type: type("unit_not_returned"), status: 409, title: "A unit is still out" },
  { ...fields("unit_not_returned"), unitIds: Schema.Array(Schema.String) }
) {}

/** @since 0.1.0 @category problems */
export class MissionFull extends HttpApiError.Problem<MissionFull>()(
  "MissionFullProblem",
  { type: type("mission_full"), status: 409, title: "The mission has all the people it needs" },
  { ...fields("mission_full"), headcount: Schema.Int }
) {}

/** @since 0.1.0 @category problems */
export class UnitAvailable extends HttpApiError.Problem<UnitAvailable>()(
  "UnitAvailableProblem",
  { type: type("unit_available"), status: 409, title: "A unit is free: book it instead" },
  { ...fields("unit_available"), unitIds: Schema.Array(Schema.String) }
) {}

/** @since 0.1.0 @category problems */
export class LastOwner extends HttpApiError.Problem<LastOwner>()(
  "LastOwnerProblem",
  { type: type("last_owner"), status: 409, title: "The last owner cannot be removed or demoted" },
  fields("last_owner")
) {}

/** @since 0.1.0 @category problems */
export class TokenUsed extends HttpApiError.Problem<TokenUsed>()(
  "TokenUsedProblem",
  { type: type("token_used"), status: 409, title: "Token already used" },
  fields("token_used")
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

/** @since 0.1.0 @category problems */
export class RateLimited extends HttpApiError.Problem<RateLimited>()(
  "RateLimitedProblem",
  { type: type("rate_limited"), status: 429, title: "Too many requests" },
  fields("rate_limited")
) {}

/** @since 0.1.0 @category problems */
export class Internal extends HttpApiError.Problem<Internal>()(
  "InternalProblem",
  { type: type("internal"), status: 500, title: "Internal error" },
  fields("internal")
) {}

/** @since 0.1.0 @category problems */
export class Unavailable extends HttpApiError.Problem<Unavailable>()(
  "UnavailableProblem",
  { type: type("unavailable"), status: 503, title: "Service unavailable" },
  fields("unavailable")
) {}

/**
 * The problems any endpoint may answer with, whatever it does: bad input, overload, faults.
 *
 * @since 0.1.0
 * @category problems
 */
export const everywhere = [ValidationFailed, PayloadTooLarge, RateLimited, Internal, Unavailable] as const

/**
 * What became of one occurrence of a booking series.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SeriesOccurrence = Schema.Struct({
  date: Schema.String,
  startAt: Schema.String,
  endAt: Schema.String,
  outcome: Schema.Literals(["created", "conflict", "skipped"]),
  bookingId: Schema.NullOr(Schema.String),
  conflicts: Schema.Array(Clash)
})

/**
 * An all-or-nothing booking series refused: some occurrences clashed, nothing was booked.
 * `occurrences` says what would have become of each one.
 *
 * @since 0.1.0
 * @category problems
 */
export class SeriesConflict extends HttpApiError.Problem<SeriesConflict>()(
  "SeriesConflictProblem",
  { type: type("series_conflict"), status: 409, title: "Series conflict" },
  { ...fields("series_conflict"), occurrences: Schema.Array(SeriesOccurrence) }
) {}

/**
 * A CSV import refused: every problem of the file, each with its row (the header is row 1) and
 * column (`null` for the record as a whole). Nothing was created.
 *
 * @since 0.1.0
 * @category problems
 */
export class ImportRejected extends HttpApiError.Problem<ImportRejected>()(
  "ImportRejectedProblem",
  { type: type("import_rejected"), status: 422, title: "Import rejected" },
  { ...fields("import_rejected"), errors: Schema.Array(TransferRows.RowIssue) }
) {}
