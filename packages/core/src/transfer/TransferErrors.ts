/**
 * Why an import was refused. Nothing of a refused import is kept.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { RowIssue } from "./Rows.ts"

/**
 * Some records are malformed, invalid or clash with the org's records: every problem found,
 * each with its row and column.
 *
 * @since 0.1.0
 * @category errors
 */
export class ImportRejected extends Schema.TaggedError<ImportRejected>()("ImportRejected", {
  errors: Schema.Array(RowIssue)
}) {}

/**
 * The file holds more records, or more bytes, than one import takes.
 *
 * @since 0.1.0
 * @category errors
 */
export class ImportTooLarge extends Schema.TaggedError<ImportTooLarge>()("ImportTooLarge", {
  limit: Schema.Int,
  unit: Schema.Literals(["rows", "bytes"])
}) {}

/**
 * The body is not declared as CSV (`text/csv`).
 *
 * @since 0.1.0
 * @category errors
 */
export class NotCsv extends Schema.TaggedError<NotCsv>()("NotCsv", {
  declared: Schema.String
}) {}
