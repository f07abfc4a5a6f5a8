/**
 * CSV as RFC 4180 writes it: records end with CRLF, a field holding a comma, a quote or a line
 * break is quoted, and a quote inside a quoted field is doubled. The reader is lenient where
 * spreadsheets are (LF or CR line ends, a UTF-8 byte order mark, no final line end) and strict
 * where a mistake would shift data between columns (a stray quote, an unterminated field).
 *
 * @since 0.1.0
 */
import { Result } from "effect"

/**
 * Why a text is not CSV: the record (1-based, the header is record 1) where reading stopped.
 *
 * @since 0.1.0
 * @category models
 */
export interface Malformed {
  readonly row: number
  readonly message: string
}

const needsQuotes = /[",\r\n]/
// A run of characters with no meaning to CSV, read at once rather than one by one.
const plain = /[^",\r\n]+/y

/**
 * One field as it is written: quoted when it holds a comma, a quote or a line break.
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeField = (field: string): string =>
  needsQuotes.test(field) ? `"${field.replaceAll('"', '""')}"` : field

/**
 * One record and its CRLF. A record of one empty field is written `""`, so it is not read back
 * as a blank line (which readers skip).
 *
 * @since 0.1.0
 * @category encoding
 */
export const encodeRow = (fields: ReadonlyArray<string>): string =>
  fields.length === 1 && fields[0] === "" ? '""\r\n' : `${fields.map(encodeField).join(",")}\r\n`

// A cell a spreadsheet would run as a formula: `=`, `+`, `-`, `@`, or a tab or carriage return
// some of them skip before looking.
const formulaStart = /^[=+\-@\t\r]/

/**
 * The cell as exported: a value a spreadsheet would run as a formula gets a leading apostrophe,
 * which spreadsheets show as text (OWASP's advice against CSV injection).
 *
 * @since 0.1.0
 * @category injection
 */
export const neutralise = (cell: string): string => (formulaStart.test(cell) ? `'${cell}` : cell)

/**
 * The cell as imported: the apostrophe {@link neutralise} added is taken off again, so an export
 * imports back to the same values.
 *
 * @since 0.1.0
 * @category injection
 */
export const restore = (cell: string): string =>
  cell.startsWith("'") && formulaStart.test(cell.slice(1)) ? cell.slice(1) : cell

/**
 * Reads CSV text into records of fields. Blank lines are skipped; records may have different
 * lengths (the caller checks them against its header).
 *
 * @since 0.1.0
 * @category decoding
 */
export const parse = (input: string): Result.Result<ReadonlyArray<ReadonlyArray<string>>, Malformed> => {
  const text = input.startsWith("\uFEFF") ? input.slice(1) : input
  const rows: Array<ReadonlyArray<string>> = []
  let fields: Array<string> = []
  let field = ""
  let quoted = false
  // Whether the record's last field was quoted: `""` on a line is a field, not a blank line.
  let wasQuoted = false
  let i = 0
  const endField = () => {
    fields.push(field)
    field = ""
    quoted = false
  }
  const endRow = () => {
    endField()
    // A blank line is one unquoted empty field: nothing to import.
    if (!(fields.length === 1 && fields[0] === "" && !wasQuoted)) rows.push(fields)
    fields = []
  }
  while (i < text.length) {
    const char = text[i]!
    if (field === "" && !quoted && char === '"') {
      // A quoted field: read to its closing quote.
      let j = i + 1
      let value = ""
      for (;;) {
        const next = text.indexOf('"', j)
        if (next === -1) return Result.fail({ row: rows.length + 1, message: "A quoted field is not closed" })
        value += text.slice(j, next)
        if (text[next + 1] === '"') {
          value += '"'
          j = next + 2
        } else {
          i = next + 1
          break
        }
      }
      field = value
      quoted = true
      wasQuoted = true
      const after = text[i]
      if (after !== undefined && after !== "," && after !== "\r" && after !== "\n")
        return Result.fail({ row: rows.length + 1, message: "Text after a closing quote" })
      continue
    }
    if (char === ",") {
      endField()
      i += 1
    } else if (char === "\r" || char === "\n") {
      endRow()
      wasQuoted = false
      i += char === "\r" && text[i + 1] === "\n" ? 2 : 1
    } else if (char === '"') {
      return Result.fail({ row: rows.length + 1, message: "A quote inside an unquoted field" })
    } else {
      plain.lastIndex = i
      const run = plain.exec(text)![0]
      field += run
      i += run.length
    }
  }
  if (field !== "" || fields.length > 0 || quoted) endRow()
  return Result.succeed(rows)
}
