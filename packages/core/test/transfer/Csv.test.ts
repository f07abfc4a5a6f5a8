import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import * as fc from "fast-check"
import { Csv } from "../../src/index.ts"

const write = (rows: ReadonlyArray<ReadonlyArray<string>>) => rows.map(Csv.encodeRow).join("")
const read = (text: string) => Result.getOrThrow(Csv.parse(text))

describe("Csv", () => {
  it("quotes a field holding a comma, a quote or a line break, and doubles its quotes", () => {
    assert.strictEqual(
      write([["plain", "a,b", 'say "hi"', "two\nlines", "cr\rhere", ""]]),
      'plain,"a,b","say ""hi""","two\nlines","cr\rhere",\r\n'
    )
  })

  it("writes then reads back any records of any fields", () => {
    const field = fc.string({ unit: fc.constantFrom("a", " ", ",", '"', "\r", "\n", "=", "é", "'") })
    const anyText = fc.oneof(field, fc.string({ unit: "grapheme" }))
    fc.assert(
      fc.property(fc.array(fc.array(anyText, { minLength: 1, maxLength: 6 }), { maxLength: 8 }), (rows) => {
        assert.deepStrictEqual(read(write(rows)), rows)
      }),
      { numRuns: 500 }
    )
  })

  it("reads LF and CR line ends, a byte order mark, no final line end, and skips blank lines", () => {
    assert.deepStrictEqual(read("\uFEFFa,b\n1,2\r\n\r\n3,4\r5,6"), [
      ["a", "b"],
      ["1", "2"],
      ["3", "4"],
      ["5", "6"]
    ])
  })

  it("refuses a stray quote or an unclosed quoted field, naming the record", () => {
    assert.deepStrictEqual(
      Csv.parse('a,b\n1,x"y\n'),
      Result.fail({ row: 2, message: "A quote inside an unquoted field" })
    )
    assert.deepStrictEqual(
      Csv.parse('a\n"open\n'),
      Result.fail({ row: 2, message: "A quoted field is not closed" })
    )
    assert.deepStrictEqual(
      Csv.parse('a\n"x"y\n'),
      Result.fail({ row: 2, message: "Text after a closing quote" })
    )
  })

  it("neutralises cells a spreadsheet would run as formulas, and restores them on import", () => {
    for (const cell of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]) {
      assert.strictEqual(Csv.neutralise(cell), `'${cell}`)
      assert.strictEqual(Csv.restore(Csv.neutralise(cell)), cell)
    }
    for (const cell of ["plain", "a=b", "", "'quoted"]) {
      assert.strictEqual(Csv.neutralise(cell), cell)
      assert.strictEqual(Csv.restore(cell), cell)
    }
  })
})
