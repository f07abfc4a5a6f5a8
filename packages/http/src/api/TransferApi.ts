/**
 * `/v1/exports/{kind}.csv` and `/v1/imports/{kind}`: an org's records as CSV, and CSV files
 * created as records, all or nothing. One route per kind, each guarded by the permission that
 * reads or writes that kind.
 *
 * @since 0.1.0
 */
import { Exports, Imports, TransferColumns } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"

const docs = "docs/csv.md"

/**
 * What an import created.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Imported = Schema.Struct({ kind: TransferColumns.ImportKind, created: Schema.Int })

const csvText = Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/csv; charset=utf-8" }))

const exportOf = <const Kind extends TransferColumns.ExportKind>(kind: Kind) =>
  HttpApiEndpoint.get(kind, `/v1/exports/${kind}.csv`, { success: csvText })
    .annotate(Requires, Exports.readPermission[kind])
    .annotate(OpenApi.Summary, `Export ${kind} as CSV`)
    .annotate(
      OpenApi.Description,
      `Every live record of the org, one CSV record each after a header, streamed page by page. ` +
        `Cells a spreadsheet would run as a formula start with an apostrophe. See ${docs}.`
    )

const importOf = <const Kind extends TransferColumns.ImportKind>(kind: Kind) =>
  HttpApiEndpoint.post(kind, `/v1/imports/${kind}`, {
    headers: IdempotencyKeyHeader,
    payload: Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/csv" })),
    success: Imported,
    error: [Problems.ImportRejected, Problems.UnsupportedMediaType]
  })
    .annotate(Requires, Imports.writePermission[kind])
    .annotate(OpenApi.Summary, `Import ${kind} from CSV`)
    .annotate(
      OpenApi.Description,
      `A \`text/csv\` body with the columns of the ${kind} export (in any order; \`id\` is ignored). ` +
        `Every record is checked first; any problem answers 422 with each row and column at fault ` +
        `and creates nothing. Otherwise all are created in one transaction (clients are invited, ` +
        `as \`POST /v1/clients\` without a password does; bookings are requested for the caller, ` +
        `and one overlapping a booking or another record is refused). At most ` +
        `${Imports.maxRows} records and ${Imports.maxBytes} bytes (413 beyond). See ${docs}.`
    )
    .middleware(Idempotent)

/**
 * @since 0.1.0
 * @category groups
 */
export class ExportsApi extends HttpApiGroup.make("exports")
  .add(exportOf("resources"), exportOf("units"), exportOf("parts"), exportOf("clients"), exportOf("bookings"))
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(OpenApi.annotations({ title: "Exports", description: "The org's records as CSV files." })) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class ImportsApi extends HttpApiGroup.make("imports")
  .add(importOf("resources"), importOf("units"), importOf("parts"), importOf("clients"), importOf("bookings"))
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Imports",
      description: "CSV files created as records, all or nothing."
    })
  ) {}
