/**
 * Booking series: `/v1/booking-series`. One request books every occurrence of a recurrence rule
 * (an RFC 5545 `RRULE` subset) in the org's time zone; each occurrence booked is an ordinary
 * booking, edited or cancelled alone through `/v1/bookings`, or with the rest of its series.
 *
 * @since 0.1.0
 */
import { Booking, Calendar, Series } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, IdempotencyRequired, Idempotent } from "./Idempotency.ts"
import { Instant } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"

/**
 * @since 0.1.0
 * @category groups
 */
export class BookingSeriesApi extends HttpApiGroup.make("bookingSeries")
  .add(
    HttpApiEndpoint.post("create", "/v1/booking-series", {
      headers: IdempotencyKeyHeader,
      payload: Schema.Struct({
        startAt: Instant,
        endAt: Instant,
        purpose: Booking.Purpose,
        items: Booking.RequestedItems,
        rule: Schema.String.check(Schema.isBetweenLength(1, 200)),
        exceptions: Schema.optionalKey(Schema.Array(Calendar.LocalDate).check(Schema.isMaxLength(366))),
        allOrNothing: Schema.optionalKey(Schema.Boolean)
      }),
      success: Series.BookingSeries.pipe(HttpApiSchema.status(201)),
      error: [Problems.NotFound, Problems.NotBookable, Problems.SeriesConflict]
    })
      .annotate(OpenApi.Summary, "Book every occurrence of a recurrence rule")
      .annotate(Requires, "booking.create")
      .middleware(IdempotencyRequired),
    HttpApiEndpoint.get("get", "/v1/booking-series/:id", {
      params: { id: Series.BookingSeriesId },
      success: Series.BookingSeries,
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a booking series and its occurrences")
      .annotate(Requires, "booking.create"),
    HttpApiEndpoint.post("cancelFrom", "/v1/booking-series/:id/cancel", {
      params: { id: Series.BookingSeriesId },
      // Without `from`: from now on.
      query: { from: Schema.optionalKey(Instant) },
      headers: IdempotencyKeyHeader,
      success: Series.SeriesCancellation,
      error: [
        Problems.NotFound,
        Problems.PreconditionFailed,
        Problems.PreconditionRequired,
        Problems.InvalidTransition
      ]
    })
      .annotate(OpenApi.Summary, "Cancel a series' bookings from a time on")
      .annotate(Requires, "booking.create")
      .middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Booking series",
      description:
        "Recurring bookings: `rule` is an RFC 5545 RRULE subset (FREQ=DAILY|WEEKLY|MONTHLY, INTERVAL, " +
        "BYDAY, COUNT or UNTIL), `exceptions` local days to skip. Each occurrence is created, refused " +
        "with its conflicts, or skipped; `allOrNothing` makes any conflict a 409 `series_conflict` " +
        "that books nothing."
    })
  ) {}
