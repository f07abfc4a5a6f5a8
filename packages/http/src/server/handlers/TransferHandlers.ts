/**
 * CSV exports and imports. An export answers as a stream the use case fills a page at a time;
 * an import hands the use case the body to read once the caller may import.
 *
 * @since 0.1.0
 */

import { Exports, Imports, type TransferColumns, TransferErrors } from "@rota/core"
import { Effect, Stream } from "effect"
import { type HttpServerRequest, HttpServerResponse } from "effect/http"
import { Api } from "../../api/Api.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"
import { isCsv } from "./Uploads.ts"

/**
 * The CSV body, which the input guard read within {@link Imports.maxBytes}.
 *
 * @since 0.1.0
 * @category requests
 */
export const readCsv = (
  request: HttpServerRequest.HttpServerRequest
): Effect.Effect<string, TransferErrors.ImportTooLarge | TransferErrors.NotCsv> =>
  isCsv(request)
    ? Effect.mapError(
        request.text,
        () => new TransferErrors.ImportTooLarge({ limit: Imports.maxBytes, unit: "bytes" })
      )
    : Effect.fail(new TransferErrors.NotCsv({ declared: request.headers["content-type"] ?? "" }))

const exportOf = (exports: Exports.Exports["Service"], kind: TransferColumns.ExportKind) =>
  toProblems(
    Effect.map(exports.csv(kind), (csv) =>
      HttpServerResponse.stream(Stream.encodeText(csv), {
        contentType: "text/csv; charset=utf-8",
        headers: { "content-disposition": `attachment; filename="${kind}.csv"` }
      })
    )
  )

/**
 * @since 0.1.0
 * @category handlers
 */
export const exportsLayer = HandlerGroup.group(
  Api,
  "exports",
  Effect.fn(function* (handlers) {
    const exports = yield* Exports.Exports
    return handlers
      .handle("resources", () => exportOf(exports, "resources"))
      .handle("units", () => exportOf(exports, "units"))
      .handle("parts", () => exportOf(exports, "parts"))
      .handle("clients", () => exportOf(exports, "clients"))
      .handle("bookings", () => exportOf(exports, "bookings"))
  })
)

/**
 * @since 0.1.0
 * @category handlers
 */
export const importsLayer = HandlerGroup.group(
  Api,
  "imports",
  Effect.fn(function* (handlers) {
    const imports = yield* Imports.Imports
    return handlers
      .handleRaw("resources", ({ request }) => toProblems(imports.csv("resources", readCsv(request))))
      .handleRaw("units", ({ request }) => toProblems(imports.csv("units", readCsv(request))))
      .handleRaw("parts", ({ request }) => toProblems(imports.csv("parts", readCsv(request))))
      .handleRaw("clients", ({ request }) => toProblems(imports.csv("clients", readCsv(request))))
      .handleRaw("bookings", ({ request }) => toProblems(imports.csv("bookings", readCsv(request))))
  })
)
