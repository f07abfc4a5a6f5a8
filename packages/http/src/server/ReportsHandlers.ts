/**
 * Report routes: the use case's answer as JSON, or its rows as CSV when the caller asks for it
 * with `?format=csv` or an `Accept` header naming `text/csv` (the query wins when both are given).
 *
 * @since 0.1.0
 */
import { ReportColumns, ReportCsv, Reports } from "@rota/core"
import { Effect } from "effect"
import { HttpServerRequest } from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { Api } from "../api/Api.ts"
import { toProblems } from "./ErrorTable.ts"

const wantsCsv = (format: "json" | "csv" | undefined) =>
  Effect.map(Effect.service(HttpServerRequest.HttpServerRequest), (request) =>
    format !== undefined
      ? format === "csv"
      : (request.headers.accept ?? "").toLowerCase().includes("text/csv")
  )

// The report as asked: the JSON answer, or its items under the report's columns.
const answer = <A extends { readonly items: ReadonlyArray<Row> }, Row, E, R>(
  format: "json" | "csv" | undefined,
  report: Effect.Effect<A, E, R>,
  columns: (report: A) => ReadonlyArray<readonly [string, (row: Row) => ReportCsv.Cell]>
) =>
  Effect.flatMap(wantsCsv(format), (csv) =>
    csv ? Effect.map(report, (done): A | string => ReportCsv.render(columns(done), done.items)) : report
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = HttpApiBuilder.group(
  Api,
  "reports",
  Effect.fn(function* (handlers) {
    const reports = yield* Reports.Reports
    return handlers
      .handle("utilisation", ({ query }) =>
        toProblems(answer(query.format, reports.utilisation(query), () => ReportColumns.utilisation))
      )
      .handle("overdueFines", ({ query }) =>
        toProblems(
          answer(
            query.format,
            reports.overdueFines(query),
            (report) =>
              (report.by === "status" ? ReportColumns.finesByStatus : ReportColumns.finesByClient) as never
          )
        )
      )
      .handle("workload", ({ query }) =>
        toProblems(answer(query.format, reports.workload(query), () => ReportColumns.workload))
      )
      .handle("leadTimes", ({ query }) =>
        toProblems(answer(query.format, reports.leadTimes(query), () => ReportColumns.leadTimes))
      )
  })
)
