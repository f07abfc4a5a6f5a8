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
 * The file holds more records than one import takes.
 *
 * @since 0.1.0
 * @category errors
 */
export class TooManyRows extends Schema.TaggedError<TooManyRows>()("TooManyRows", {
  limit: Schema.Int
}) {}
