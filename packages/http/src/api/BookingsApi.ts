/**
 * Bookings and fines: `/v1/bookings`, `/v1/resources/{id}/availability`, `/v1/fines` and
 * `/v1/conflicts`. Members book for themselves and see their own bookings and fines; managers
 * see and act on all.
 *
 * @since 0.1.0
 */
import { Booking, Fine, Ids, Money, Pagination, Resource, ResourceUnit } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, IdempotencyRequired, Idempotent } from "./Idempotency.ts"
import { accountFilter, commaList, Instant, ListPage, numberedPage, page, period, sort } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

const IdParam = { id: Booking.BookingId }

const stateErrors = [
  Problems.NotFound,
  Problems.PreconditionFailed,
  Problems.PreconditionRequired,
  Problems.InvalidTransition
]

const action = <const Name extends string, const Path extends string>(
  name: Name,
  path: Path,
  requires: string,
  summary: string
) =>
  HttpApiEndpoint.post(name, `/v1/bookings/:id/${path}`, {
    params: IdParam,
    headers: { ...IfMatch, ...IdempotencyKeyHeader },
    success: withEtag(Booking.Booking),
    error: stateErrors
  })
    .annotate(OpenApi.Summary, summary)
    .annotate(Requires, requires)
    .middleware(Idempotent)

/**
 * An interval with free time, or taken time, of a unit.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Span = Schema.Struct({ startAt: Schema.DateTimeUtc, endAt: Schema.DateTimeUtc })

/**
 * @since 0.1.0
 * @category schemas
 */
export const Availability = Schema.Struct({
  resourceId: Resource.ResourceId,
  window: Span,
  freeUnitIds: Schema.Array(ResourceUnit.UnitId),
  units: Schema.Array(
    Schema.Struct({
      unitId: ResourceUnit.UnitId,
      barcode: Schema.String,
      status: ResourceUnit.UnitStatus,
      bookable: Schema.Boolean,
      busy: Schema.Array(Span),
      free: Schema.Array(Span)
    })
  )
})

/**
 * @since 0.1.0
 * @category groups
 */
export class BookingsApi extends HttpApiGroup.make("bookings")
  .add(
    HttpApiEndpoint.post("create", "/v1/bookings", {
      headers: IdempotencyKeyHeader,
      payload: Booking.BookingRequest,
      success: withEtag(Booking.Booking.pipe(HttpApiSchema.status(201))),
      error: [Problems.NotFound, Problems.Conflict, Problems.NotBookable]
    })
      .annotate(OpenApi.Summary, "Create a booking")
      .annotate(Requires, "booking.create")
      .middleware(IdempotencyRequired),
    HttpApiEndpoint.get("list", "/v1/bookings", {
      query: {
        ...page,
        ...period,
        status: Schema.optionalKey(commaList(Booking.BookingStatus.literals)),
        requesterId: accountFilter("booking.read_all"),
        resourceId: Schema.optionalKey(Resource.ResourceId),
        unitId: Schema.optionalKey(ResourceUnit.UnitId),
        ...sort(["startAt", "createdAt"]),
        ...numberedPage
      },
      success: ListPage(Booking.Booking)
    })
      .annotate(OpenApi.Summary, "List bookings")
      .annotate(Requires, "booking.create"),
    HttpApiEndpoint.get("get", "/v1/bookings/:id", {
      params: IdParam,
      success: withEtag(Booking.Booking),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a booking")
      .annotate(Requires, "booking.create"),
    HttpApiEndpoint.patch("update", "/v1/bookings/:id", {
      params: IdParam,
      headers: IfMatch,
      payload: Schema.Struct({
        startAt: Schema.optionalKey(Instant),
        endAt: Schema.optionalKey(Instant),
        purpose: Schema.optionalKey(Booking.Purpose),
        items: Schema.optionalKey(Booking.RequestedItems)
      }),
      success: withEtag(Booking.Booking),
      error: [...stateErrors, Problems.Conflict, Problems.NotBookable]
    })
      .annotate(OpenApi.Summary, "Update a booking")
      .annotate(Requires, "booking.create"),
    action("cancel", "cancel", "booking.create", "Cancel a booking"),
    action("approve", "approve", "booking.approve", "Approve a booking"),
    action("reject", "reject", "booking.approve", "Reject a booking"),
    HttpApiEndpoint.post("checkOut", "/v1/bookings/:id/check-out", {
      params: IdParam,
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(Booking.Booking),
      error: [...stateErrors, Problems.UnitNotReturned]
    })
      .annotate(OpenApi.Summary, "Check out a booking's units")
      .annotate(Requires, "booking.manage")
      .middleware(Idempotent),
    action("return", "return", "booking.manage", "Return a booking's units"),
    HttpApiEndpoint.get("availability", "/v1/resources/:id/availability", {
      params: { id: Resource.ResourceId },
      // Without `from`/`to`: the next 7 days.
      query: period,
      success: Availability,
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a resource's availability")
      .annotate(Requires, "inventory.read")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Bookings",
      description:
        "Claims on resource units for an interval. `POST /v1/bookings` requires an `Idempotency-Key`; " +
        "two active bookings never hold one unit at overlapping times (409 `conflict`)."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class FinesApi extends HttpApiGroup.make("fines")
  .add(
    HttpApiEndpoint.get("list", "/v1/fines", {
      query: {
        ...page,
        status: Schema.optionalKey(commaList(Fine.FineStatus.literals)),
        accountId: accountFilter("fine.manage"),
        bookingId: Schema.optionalKey(Booking.BookingId)
      },
      success: Pagination.Page(Fine.Fine)
    })
      .annotate(OpenApi.Summary, "List fines")
      .annotate(Requires, "fine.manage|own"),
    HttpApiEndpoint.post("create", "/v1/fines", {
      headers: IdempotencyKeyHeader,
      payload: Schema.Struct({
        accountId: Ids.AccountId,
        amount: Fine.PositiveAmount,
        currency: Schema.optionalKey(Money.Currency),
        reason: Fine.Reason,
        bookingId: Schema.optionalKey(Booking.BookingId)
      }),
      success: withEtag(Fine.Fine.pipe(HttpApiSchema.status(201)))
    })
      .annotate(OpenApi.Summary, "Issue a fine")
      .annotate(Requires, "fine.manage")
      .middleware(Idempotent),
    HttpApiEndpoint.get("get", "/v1/fines/:id", {
      params: { id: Fine.FineId },
      success: withEtag(Fine.Fine),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a fine")
      .annotate(Requires, "fine.manage|own"),
    HttpApiEndpoint.post("waive", "/v1/fines/:id/waive", {
      params: { id: Fine.FineId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(Fine.Fine),
      error: stateErrors
    })
      .annotate(OpenApi.Summary, "Waive a fine")
      .annotate(Requires, "fine.manage")
      .middleware(Idempotent),
    HttpApiEndpoint.post("pay", "/v1/fines/:id/payments", {
      params: { id: Fine.FineId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      payload: Schema.Struct({ amount: Fine.PositiveAmount }),
      success: withEtag(Fine.Fine),
      error: stateErrors
    })
      .annotate(OpenApi.Summary, "Record a fine payment")
      .annotate(Requires, "fine.manage|own")
      .middleware(IdempotencyRequired)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Fines",
      description:
        "Money owed for late returns or set by managers. Payments require an `Idempotency-Key`; " +
        "overpayment is refused."
    })
  ) {}

/**
 * What holds a subject's time: one active ledger allocation.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Occupation = Schema.Struct({
  subjectType: Schema.Literals(["unit", "person"]),
  subjectId: Schema.String,
  startAt: Schema.DateTimeUtc,
  endAt: Schema.DateTimeUtc,
  sourceType: Schema.String,
  sourceId: Schema.String
})

/**
 * @since 0.1.0
 * @category groups
 */
export class ScheduleApi extends HttpApiGroup.make("schedule")
  .add(
    HttpApiEndpoint.get("conflicts", "/v1/conflicts", {
      query: {
        unitId: Schema.optionalKey(ResourceUnit.UnitId),
        accountId: Schema.optionalKey(Ids.AccountId),
        // The name this route first took; kept so existing callers keep working.
        personId: Schema.optionalKey(
          Ids.AccountId.annotate({ description: "Deprecated: the same as `accountId`, which replaces it." })
        ),
        ...period
      },
      success: Schema.Struct({ items: Schema.Array(Occupation) }),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "List scheduling conflicts")
      .annotate(Requires, "schedule.read")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Schedule",
      description:
        "`GET /v1/conflicts?unitId=` or `?accountId=`: the claims on the unit's or the person's time " +
        "overlapping `[from, to)` (default: the next 30 days): bookings, held offers, accepted " +
        "assignments and scheduled interventions. `personId` is a deprecated alias of `accountId`."
    })
  ) {}
