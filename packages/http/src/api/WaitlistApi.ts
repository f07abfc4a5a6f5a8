/**
 * `/v1/waitlist`: requests waiting for a unit to be freed, ranked by priority score, and the
 * offers made to them.
 *
 * @since 0.1.0
 */
import { Booking, Pagination, Resource, ResourceUnit, WaitlistEntry } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { optionalBody } from "./ActionPayload.ts"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import { commaList, Instant, page } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

/**
 * An entry as listings show it: its live score, the parts of that score, and its rank in its
 * resource's line.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RankedEntryView = Schema.Struct({
  ...WaitlistEntry.WaitlistEntry.fields,
  rank: Schema.Int,
  scoreParts: WaitlistEntry.ScoreParts
})

const IdParam = { id: WaitlistEntry.WaitlistEntryId }

const stepErrors = [
  Problems.NotFound,
  Problems.PreconditionFailed,
  Problems.PreconditionRequired,
  Problems.InvalidTransition
]

const step = <const Name extends string>(name: Name, requires: string, summary: string) =>
  HttpApiEndpoint.post(name, `/v1/waitlist/:id/${name}`, {
    params: IdParam,
    headers: { ...IfMatch, ...IdempotencyKeyHeader },
    success: withEtag(WaitlistEntry.WaitlistEntry),
    error: stepErrors
  })
    .annotate(OpenApi.Summary, summary)
    .annotate(Requires, requires)
    .middleware(Idempotent)

const listQuery = {
  ...page,
  resourceId: Schema.optionalKey(Resource.ResourceId),
  status: Schema.optionalKey(commaList(WaitlistEntry.WaitlistStatus.literals))
}

/**
 * @since 0.1.0
 * @category groups
 */
export class WaitlistApi extends HttpApiGroup.make("waitlist")
  .add(
    HttpApiEndpoint.post("join", "/v1/waitlist", {
      headers: IdempotencyKeyHeader,
      payload: Schema.Struct({
        resourceId: Resource.ResourceId,
        startAt: Instant,
        endAt: Instant,
        purpose: Booking.Purpose
      }),
      success: withEtag(WaitlistEntry.WaitlistEntry.pipe(HttpApiSchema.status(201))),
      error: [Problems.NotFound, Problems.UnitAvailable]
    })
      .annotate(OpenApi.Summary, "Join a resource's waitlist")
      .annotate(Requires, "booking.create")
      .middleware(Idempotent),
    HttpApiEndpoint.get("list", "/v1/waitlist", {
      query: listQuery,
      success: Pagination.Page(RankedEntryView)
    })
      .annotate(OpenApi.Summary, "List waitlist entries")
      .annotate(Requires, "waitlist.manage"),
    HttpApiEndpoint.get("mine", "/v1/waitlist/mine", {
      query: listQuery,
      success: Pagination.Page(RankedEntryView)
    })
      .annotate(OpenApi.Summary, "List the caller's waitlist entries")
      .annotate(Requires, "booking.create"),
    HttpApiEndpoint.get("get", "/v1/waitlist/:id", {
      params: IdParam,
      success: withEtag(WaitlistEntry.WaitlistEntry),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a waitlist entry")
      .annotate(Requires, "booking.create"),
    HttpApiEndpoint.post("offer", "/v1/waitlist/:id/offer", {
      params: IdParam,
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      payload: optionalBody(
        Schema.Struct({
          unitId: Schema.optionalKey(ResourceUnit.UnitId),
          startAt: Schema.optionalKey(Instant),
          endAt: Schema.optionalKey(Instant)
        })
      ),
      success: withEtag(WaitlistEntry.WaitlistEntry),
      error: [...stepErrors, Problems.Conflict]
    })
      .annotate(OpenApi.Summary, "Offer a unit to a waitlist entry")
      .annotate(Requires, "waitlist.manage")
      .middleware(Idempotent),
    HttpApiEndpoint.post("accept", "/v1/waitlist/:id/accept", {
      params: IdParam,
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(WaitlistEntry.WaitlistEntry),
      error: [...stepErrors, Problems.Conflict, Problems.NotBookable]
    })
      .annotate(OpenApi.Summary, "Accept a waitlist offer")
      .annotate(Requires, "booking.create")
      .middleware(Idempotent),
    step("decline", "booking.create", "Decline a waitlist offer"),
    step("cancel", "booking.create", "Leave the waitlist"),
    step("refuse", "waitlist.manage", "Refuse a waitlist entry"),
    step("expire", "waitlist.expire", "Expire a waitlist offer")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Waitlist",
      description:
        "When no unit is free, requesters wait in a line ranked by priority score. A freed unit is " +
        "offered to the best entry that fits and held until the offer is accepted, declined or expires."
    })
  ) {}
