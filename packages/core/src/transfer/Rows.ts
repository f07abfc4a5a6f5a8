/**
 * Reading an import's records into the fields the create routes take: the header names the
 * columns (in any order), each record is decoded with the entity's own create schema, and every
 * problem is reported with its row and column, so a file is fixed in one go.
 *
 * @since 0.1.0
 */
import { Result, Schema, SchemaIssue } from "effect"
import * as Csv from "./Csv.ts"

/**
 * One problem of an import: the record (1-based, the header is row 1, as a spreadsheet numbers
 * them), the column (`null` for the record as a whole) and what is wrong.
 *
 * @since 0.1.0
 * @category models
 */
export const RowIssue = Schema.Struct({
  row: Schema.Int,
  column: Schema.NullOr(Schema.String),
  message: Schema.String
})
/** @since 0.1.0 @category models */
export type RowIssue = typeof RowIssue.Type

/**
 * How one kind is read: its columns, the ones a record must fill, the ones an export writes
 * that an import ignores (ids), how the cells become the create schema's input, and which
 * column a schema path came from.
 *
 * @since 0.1.0
 * @category models
 */
export interface Table<A> {
  readonly columns: ReadonlyArray<string>
  readonly required: ReadonlyArray<string>
  readonly ignored: ReadonlyArray<string>
  readonly schema: Schema.Decoder<A>
  readonly input: (cells: ReadonlyMap<string, string>) => Record<string, unknown>
  readonly columnOf: (path: ReadonlyArray<PropertyKey>) => string | null
}

/**
 * A decoded record and its row.
 *
 * @since 0.1.0
 * @category models
 */
export interface Read<A> {
  readonly row: number
  readonly value: A
}

const formatIssues = SchemaIssue.makeFormatterStandardSchemaV1()

const keyOf = (segment: unknown): PropertyKey =>
  typeof segment === "object" && segment !== null && "key" in segment
    ? (segment.key as PropertyKey)
    : (segment as PropertyKey)

/**
 * The header's problems: unknown or repeated columns, and required ones missing.
 *
 * @since 0.1.0
 * @category rules
 */
export const headerIssues = <A>(table: Table<A>, header: ReadonlyArray<string>): ReadonlyArray<RowIssue> => {
  const issues: Array<RowIssue> = []
  const known = new Set([...table.columns, ...table.ignored])
  header.forEach((name, index) => {
    if (!known.has(name)) issues.push({ row: 1, column: name, message: "Unknown column" })
    else if (header.indexOf(name) !== index) issues.push({ row: 1, column: name, message: "Repeated column" })
  })
  for (const name of table.required)
    if (!header.includes(name)) issues.push({ row: 1, column: name, message: "Missing column" })
  return issues
}

/**
 * Decodes each record after the header; a record is read only if it has exactly the header's
 * number of fields. Empty cells are left out (the create schemas' defaults apply).
 *
 * @since 0.1.0
 * @category rules
 */
export const decode = <A>(
  table: Table<A>,
  header: ReadonlyArray<string>,
  records: ReadonlyArray<ReadonlyArray<string>>
): { readonly reads: ReadonlyArray<Read<A>>; readonly issues: ReadonlyArray<RowIssue> } => {
  const decodeInput = Schema.decodeUnknownResult(table.schema, { errors: "all" })
  const reads: Array<Read<A>> = []
  const issues: Array<RowIssue> = []
  records.forEach((fields, index) => {
    const row = index + 2
    if (fields.length !== header.length) {
      issues.push({
        row,
        column: null,
        message: `Expected ${header.length} fields, found ${fields.length}`
      })
      return
    }
    const cells = new Map<string, string>()
    header.forEach((name, column) => {
      const cell = Csv.restore(fields[column]!)
      if (cell !== "" && !table.ignored.includes(name)) cells.set(name, cell)
    })
    const decoded = decodeInput(table.input(cells))
    if (Result.isSuccess(decoded)) reads.push({ row, value: decoded.success })
    else
      for (const issue of formatIssues(decoded.failure.issue).issues)
        issues.push({ row, column: table.columnOf((issue.path ?? []).map(keyOf)), message: issue.message })
  })
  return { reads, issues }
}

/**
 * The rows whose key repeats an earlier row's (compared as `normal` makes them): each names the
 * first row.
 *
 * @since 0.1.0
 * @category rules
 */
export const repeated = <A>(
  reads: ReadonlyArray<Read<A>>,
  column: string,
  keyOf: (value: A) => string,
  normal: (key: string) => string = (key) => key
): ReadonlyArray<RowIssue> => {
  const first = new Map<string, number>()
  const issues: Array<RowIssue> = []
  for (const { row, value } of reads) {
    const key = normal(keyOf(value))
    const seen = first.get(key)
    if (seen === undefined) first.set(key, row)
    else issues.push({ row, column, message: `Same ${column} as row ${seen}` })
  }
  return issues
}

/**
 * An integer cell as a number; anything else is left as text for the schema to refuse.
 *
 * @since 0.1.0
 * @category cells
 */
export const integer = (cell: string | undefined): unknown =>
  cell !== undefined && /^-?\d{1,16}$/.test(cell) ? Number(cell) : cell

/**
 * A list cell (`a,b`): its items, trimmed.
 *
 * @since 0.1.0
 * @category cells
 */
export const items = (cell: string | undefined): ReadonlyArray<string> | undefined =>
  cell?.split(",").map((item) => item.trim())

/**
 * The input object of the cells that are set: `undefined` values are left out.
 *
 * @since 0.1.0
 * @category cells
 */
export const present = (input: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined))
