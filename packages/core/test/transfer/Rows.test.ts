import { assert, describe, it } from "@effect/vitest"
import { Result } from "effect"
import { ClientRows, Imports, TransferTables } from "../../src/index.ts"

const issuesOf = (text: string, table = TransferTables.parts) => {
  const read = Imports.read(table, text)
  if (Result.isSuccess(read)) return read.success.issues
  return Array.isArray(read.failure) ? read.failure : []
}

describe("import rows", () => {
  it("decodes records with the create schema: empty cells take its defaults, ids are ignored", () => {
    const read = Imports.read(
      TransferTables.parts,
      "id,sku,name,unitPriceAmount,unitPriceCurrency,quantityOnHand\r\nignored,FLT-1,Filter,1250,EUR,\r\n"
    )
    assert.deepStrictEqual(Result.getOrThrow(read), {
      reads: [
        { row: 2, value: { sku: "FLT-1", name: "Filter", unitPrice: { amount: 1250, currency: "EUR" } } }
      ],
      issues: []
    })
  })

  it("names each bad cell by row and column, and each header problem on row 1", () => {
    assert.deepStrictEqual(
      issuesOf(
        "sku,name,unitPriceAmount,unitPriceCurrency\r\nA,Filter,12.5,EUR\r\nB,,3,eur\r\nC,Cap\r\n"
      ).map((issue) => [issue.row, issue.column]),
      [
        [2, "unitPriceAmount"],
        [3, "name"],
        [3, "unitPriceCurrency"],
        [4, null]
      ]
    )
    assert.deepStrictEqual(issuesOf("sku,colour,sku\r\n"), [
      { row: 1, column: "colour", message: "Unknown column" },
      { row: 1, column: "sku", message: "Repeated column" },
      { row: 1, column: "name", message: "Missing column" },
      { row: 1, column: "unitPriceAmount", message: "Missing column" },
      { row: 1, column: "unitPriceCurrency", message: "Missing column" }
    ])
  })

  it("refuses a file past the row limit as too large", () => {
    const text = `sku,name,unitPriceAmount,unitPriceCurrency\r\n${"A,B,1,EUR\r\n".repeat(Imports.maxRows + 1)}`
    const read = Imports.read(TransferTables.parts, text)
    assert.isTrue(Result.isFailure(read) && !Array.isArray(read.failure))
  })
})

describe("client rows", () => {
  it("an address or a phone twice in one file is refused on its second row, compared as the store compares them", () => {
    const read = Result.getOrThrow(
      Imports.read(
        ClientRows.table,
        [
          "email,username,fullName,phone",
          "ada@example.test,ada,Ada,+44 20 7946 0001",
          "ADA@example.test,ada2,Ada again,",
          "lin@example.test,lin,Lin,+4420 79460001",
          ""
        ].join("\r\n")
      )
    )
    assert.deepStrictEqual(read.issues, [])
    assert.deepStrictEqual(ClientRows.clashes(read.reads), [
      { row: 3, column: "email", message: "Same email as row 2" },
      { row: 4, column: "phone", message: "Same phone as row 2" }
    ])
  })
})
