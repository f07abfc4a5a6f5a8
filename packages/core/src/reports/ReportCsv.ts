/**
 * Reports as CSV (RFC 4180): a header line of column names, one line per row, CRLF line ends.
 * A cell with a comma, a quote or a line break is quoted, its quotes doubled. A cell a
 * spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return) gets a leading apostrophe, so an exported name can never execute in the reader's
 * spreadsheet. Numbers are written as they are: a negative number is data, not a formula.
 *
 * @since 0.1.0
 */

import * as Csv from "../transfer/Csv.ts"

/**
 * A cell value: text, a number, a boolean, or nothing (an empty cell).
 *
 * @since 0.1.0
 * @category models
 */
export type Cell = string | number | boolean | null | undefined

/**
 * One cell as CSV text.
 *
 * @since 0.1.0
 * @category rendering
 */
export const cell = (value: Cell): string => {
  if (value === null || value === undefined) return ""
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : ""
  if (typeof value === "boolean") return value ? "true" : "false"
  // Quoting and the formula guard are the CSV exports' own, so a report and an export read alike.
  return Csv.encodeField(Csv.neutralise(value))
}

/**
 * A table as CSV: the columns' names, then each row's cells in the columns' order.
 *
 * @since 0.1.0
 * @category rendering
 */
export const render = <Row>(
  columns: ReadonlyArray<readonly [name: string, value: (row: Row) => Cell]>,
  rows: ReadonlyArray<Row>
): string => {
  const lines = [columns.map(([name]) => cell(name)).join(",")]
  for (const row of rows) lines.push(columns.map(([, value]) => cell(value(row))).join(","))
  return `${lines.join("\r\n")}\r\n`
}
