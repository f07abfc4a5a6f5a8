/**
 * Report routes: the use case's answer as JSON, or its rows as CSV when the caller asks for it
 * with `?format=csv` or an `Accept` header naming `text/csv` (the query wins when both are given).
 *
 * @since 0.1.0
 */

import { ReportColumns, ReportCsv, Reports } from "@rota/core"
import { Effect } from "effect"
import { HttpServerRequest } from "effect/http"
import { Api } from "../../api/Api.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

const wantsCsv = (format: "json" | "csv" | undefined) =>
  Effect.map(Effect.service(HttpServerRequest.HttpServerRequest), (request) =>
    format !== undefined
      ? format === "csv"
      : (request.headers.accept ?? "").toLowerCase().includes("text/csv")
  )

// The report as asked: the JSON answer, or its CSV text.
const answer = <A, E, R>(
  format: "json" | "csv" | undefined,
  report: Effect.Effect<A, E, R>,
  toCsv: (report: A) => string
) =>
  Effect.flatMap(wantsCsv(format), (csv) =>
    csv ? Effect.map(report, (done): A | string => toCsv(done)) : report
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = HandlerGroup.group(
  Api,
  "reports",
  Effect.fn(function* (handlers) {
    const reports = yield* Reports.Reports
    return handlers
      .handle("utilisation", ({ query }) =>
        toProblems(
          answer(query.format, reports.utilisation(query), (report) =>
            ReportCsv.render(ReportColumns.utilisation, report.items)
          )
        )
      )
      .handle("overdueFines", ({ query }) =>
        toProblems(
          answer(query.format, reports.overdueFines(query), (report) =>
            report.by === "status"
              ? ReportCsv.render(ReportColumns.finesByStatus, report.items)
              : ReportCsv.render(ReportColumns.finesByClient, report.items)
          )
        )
      )
      .handle("workload", ({ query }) =>
        toProblems(
          answer(query.format, reports.workload(query), (report) =>
            ReportCsv.render(ReportColumns.workload, report.items)
          )
        )
      )
      .handle("leadTimes", ({ query }) =>
        toProblems(
          answer(query.format, reports.leadTimes(query), (report) =>
            ReportCsv.render(ReportColumns.leadTimes, report.items)
          )
        )
      )
  })
)
