import { assert, describe, it } from "@effect/vitest"
import * as fc from "fast-check"
import { cell, render } from "../../src/reports/ReportCsv.ts"

// A minimal RFC 4180 reader, to check that what is written reads back.
const parse = (text: string): Array<Array<string>> => {
  const rows: Array<Array<string>> = []
  let row: Array<string> = []
  let field = ""
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ",") {
      row.push(field)
      field = ""
    } else if (char === "\r" && text[i + 1] === "\n") {
      row.push(field)
      rows.push(row)
      row = []
      field = ""
      i++
    } else field += char
  }
  return rows
}

describe("ReportCsv", () => {
  it("quotes commas, quotes and line breaks, doubling quotes", () => {
    assert.strictEqual(cell("plain"), "plain")
    assert.strictEqual(cell("a,b"), '"a,b"')
    assert.strictEqual(cell('say "hi"'), '"say ""hi"""')
    assert.strictEqual(cell("two\nlines"), '"two\nlines"')
  })

  it("guards cells a spreadsheet would run as formulas", () => {
    for (const text of ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
      assert.strictEqual(cell(text)[0] === '"' ? cell(text)[1] : cell(text)[0], "'")
    assert.strictEqual(cell('=HYPERLINK("x")'), '"\'=HYPERLINK(""x"")"')
    // Numbers are data: a negative amount stays a number.
    assert.strictEqual(cell(-5), "-5")
  })

  it("writes nothing for null, words for booleans", () => {
    assert.strictEqual(cell(null), "")
    assert.strictEqual(cell(undefined), "")
    assert.strictEqual(cell(true), "true")
    assert.strictEqual(cell(1.25), "1.25")
  })

  it("a table is a header and one CRLF line per row", () => {
    const text = render(
      [
        ["name", (row: { name: string; n: number }) => row.name],
        ["n", (row) => row.n]
      ],
      [
        { name: "a, b", n: 1 },
        { name: "c", n: 2 }
      ]
    )
    assert.strictEqual(text, 'name,n\r\n"a, b",1\r\nc,2\r\n')
  })

  it("every text reads back as written, but for the guard's apostrophe", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.string(), { minLength: 2, maxLength: 2 }), { maxLength: 5 }),
        (rows) => {
          const text = render<Array<string>>(
            [
              ["a", (row) => row[0]],
              ["b", (row) => row[1]]
            ],
            rows
          )
          const unguard = (value: string) => (/^[=+\-@\t\r]/.test(value) ? `'${value}` : value)
          assert.deepStrictEqual(parse(text), [["a", "b"], ...rows.map((row) => row.map(unguard))])
        }
      )
    )
  })
})
