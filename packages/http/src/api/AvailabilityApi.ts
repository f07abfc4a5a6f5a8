/**
 * Availability: `/v1/availability`, the windows when people can or cannot work.
 *
 * @since 0.1.0
 */
import { Availability, CrewTime, Pagination } from "@rota/core"
import { Schema, Struct } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import { accountFilter, commaList, includeDeleted, page, sort } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

const writeErrors = [Problems.NotFound, Problems.PreconditionFailed, Problems.PreconditionRequired]

// `from`/`to` within the years the store keeps.
const window = { from: Schema.optionalKey(CrewTime.Moment), to: Schema.optionalKey(CrewTime.Moment) }

const AvailabilityChanges = Availability.AvailabilityFields.mapFields(Struct.map(Schema.optionalKey))

/**
 * @since 0.1.0
 * @category groups
 */
export class AvailabilityApi extends HttpApiGroup.make("availability")
  .add(
    HttpApiEndpoint.get("list", "/v1/availability", {
      query: {
        ...page,
        accountId: accountFilter("availability.approve"),
        kind: Schema.optionalKey(commaList(Availability.AvailabilityKind.literals)),
        status: Schema.optionalKey(commaList(Availability.AvailabilityStatus.literals)),
        ...window,
        ...includeDeleted,
        ...sort(["startAt", "createdAt"])
      },
      success: Pagination.Page(Availability.Availability)
    })
      .annotate(OpenApi.Summary, "List availability windows")
      .annotate(Requires, "availability.approve|own"),
    HttpApiEndpoint.post("create", "/v1/availability", {
      headers: IdempotencyKeyHeader,
      payload: Availability.AvailabilitySubmission,
      success: withEtag(Availability.Availability.pipe(HttpApiSchema.status(201))),
      error: [Problems.ValidationFailed, Problems.NotFound]
    })
      .annotate(OpenApi.Summary, "Create an availability window")
      .annotate(
        OpenApi.Description,
        "A window of the caller's own, pending a manager's decision. Managers and up may name " +
          "another member with `accountId` to enter that member's window; anyone else naming " +
          "someone else gets 403, and an account that is not a member gets 404."
      )
      .annotate(Requires, "availability.submit")
      .middleware(Idempotent),
    HttpApiEndpoint.get("get", "/v1/availability/:id", {
      params: { id: Availability.AvailabilityId },
      success: withEtag(Availability.Availability),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get an availability window")
      .annotate(Requires, "availability.submit"),
    HttpApiEndpoint.patch("update", "/v1/availability/:id", {
      params: { id: Availability.AvailabilityId },
      headers: IfMatch,
      payload: AvailabilityChanges,
      success: withEtag(Availability.Availability),
      error: [...writeErrors, Problems.ValidationFailed]
    })
      .annotate(OpenApi.Summary, "Update an availability window")
      .annotate(Requires, "availability.submit"),
    HttpApiEndpoint.delete("remove", "/v1/availability/:id", {
      params: { id: Availability.AvailabilityId },
      headers: IfMatch,
      success: HttpApiSchema.NoContent,
      error: writeErrors
    })
      .annotate(OpenApi.Summary, "Delete an availability window")
      .annotate(Requires, "availability.submit"),
    HttpApiEndpoint.post("approve", "/v1/availability/:id/approve", {
      params: { id: Availability.AvailabilityId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(Availability.Availability),
      error: [...writeErrors, Problems.InvalidTransition, Problems.Conflict]
    })
      .annotate(OpenApi.Summary, "Approve an availability window")
      .annotate(Requires, "availability.approve")
      .middleware(Idempotent),
    HttpApiEndpoint.post("reject", "/v1/availability/:id/reject", {
      params: { id: Availability.AvailabilityId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(Availability.Availability),
      error: [...writeErrors, Problems.InvalidTransition]
    })
      .annotate(OpenApi.Summary, "Reject an availability window")
      .annotate(Requires, "availability.approve")
      .middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Availability",
      description:
        "Windows when a person can (`AVAILABLE`) or cannot (`UNAVAILABLE`) work. People submit and " +
        "change their own (a change waits for a decision again); managers see everyone's and approve " +
        "or reject. An approved `UNAVAILABLE` window blocks accepting overlapping assignments."
    })
  ) {}
