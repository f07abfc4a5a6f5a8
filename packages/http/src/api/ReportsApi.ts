/**
 * `/v1/reports/*`: read-only aggregates of the organisation over a window, as JSON or, with
 * `?format=csv` (or `Accept: text/csv`), as CSV. Managers and up (`schedule.read`).
 *
 * @since 0.1.0
 */
import { ReportRows } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { period } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"

/**
 * `json` (the default) or `csv`.
 *
 * @since 0.1.0
 * @category fields
 */
export const Format = Schema.Literals(["json", "csv"])

/**
 * A report as CSV: RFC 4180, a header line, CRLF line ends.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Csv = Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/csv; charset=utf-8" }))

const docs = "See docs/reports.md."
const window =
  "The window is `[from, to)` (RFC 3339), at most 366 days; without `to` it ends now (or 30 days " +
  "after `from`), without `from` it starts 30 days before `to`. A longer or reversed window is 400."
const format = { format: Schema.optionalKey(Format) }
const error = [Problems.ValidationFailed, Problems.Forbidden]

/**
 * @since 0.1.0
 * @category groups
 */
export class ReportsApi extends HttpApiGroup.make("reports")
  .add(
    HttpApiEndpoint.get("utilisation", "/v1/reports/utilisation", {
      query: { ...period, ...format, by: Schema.optionalKey(ReportRows.UtilisationBy) },
      success: [ReportRows.Utilisation, Csv],
      error
    })
      .annotate(Requires, "schedule.read")
      .annotate(OpenApi.Summary, "Report the utilisation of resources and units")
      .annotate(
        OpenApi.Description,
        "Per resource (`by=resource`, the default) or unit (`by=unit`): booked hours (bookings " +
          "pending, approved, checked out, overdue or returned, clipped to the window) over available " +
          `hours (the window for each live unit, less its blackouts), and their ratio. ${window} ${docs}`
      ),
    HttpApiEndpoint.get("overdueFines", "/v1/reports/overdue-fines", {
      query: { ...period, ...format, by: Schema.optionalKey(ReportRows.FinesBy) },
      success: [ReportRows.OverdueFines, Csv],
      error
    })
      .annotate(Requires, "schedule.read")
      .annotate(OpenApi.Summary, "Report overdue bookings and fines")
      .annotate(
        OpenApi.Description,
        "By client (`by=client`, the default): bookings overdue now and fines set in the window, per " +
          "currency. By fine status (`by=status`): count, amount, paid and outstanding per currency. " +
          `${window} ${docs}`
      ),
    HttpApiEndpoint.get("workload", "/v1/reports/technician-workload", {
      query: { ...period, ...format },
      success: [ReportRows.Workload, Csv],
      error
    })
      .annotate(Requires, "schedule.read")
      .annotate(OpenApi.Summary, "Report each technician's workload")
      .annotate(
        OpenApi.Description,
        "Per technician: interventions opened in the window and assigned to them, those still open, " +
          `and those they completed in the window. ${window} ${docs}`
      ),
    HttpApiEndpoint.get("leadTimes", "/v1/reports/intervention-lead-times", {
      query: { ...period, ...format },
      success: [ReportRows.LeadTimes, Csv],
      error
    })
      .annotate(Requires, "schedule.read")
      .annotate(OpenApi.Summary, "Report intervention lead times")
      .annotate(
        OpenApi.Description,
        "Per priority and kind, of the interventions requested in the window: hours from request to " +
          `start and to completion, as count, mean, median and 90th percentile. ${window} ${docs}`
      )
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Reports",
      description:
        "Read-only aggregates over a window, as JSON or CSV (`?format=csv` or `Accept: text/csv`): " +
        "utilisation, overdue bookings and fines, technician workload, intervention lead times."
    })
  ) {}
