/**
 * The SDK on CSV exports and imports, against a live server: a file sent as `text/csv` and the
 * export answered as its text, by the full client and by the light one; a refused import read
 * as a typed `import_rejected` problem listing its rows.
 */
import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { connect, exports, imports } from "../src/lite.ts"
import { owner, refusal, scenario, unique } from "./fixtures/Live.ts"

const header = "sku,name,unitPriceAmount,unitPriceCurrency"

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 90_000, excludeTestServices: true })(
  "CSV through the SDK",
  (it) => {
    it.effect("parts imported from a CSV file, exported back as CSV text", () =>
      scenario(async (url) => {
        const rota = await owner(url, "csv")
        const sku = `CSV-${unique()}`
        const created = await rota.imports.parts({
          headers: {},
          payload: `${header}\r\n${sku},"Fuse, 10 A",120,EUR\r\n`
        })
        assert.deepStrictEqual(created, { kind: "parts", created: 1 })
        const csv = await rota.exports.parts()
        const [head, row] = csv.split("\r\n")
        assert.strictEqual(
          head,
          "id,sku,name,description,quantityOnHand,unitPriceAmount,unitPriceCurrency,reorderLevel"
        )
        assert.include(row, `,${sku},"Fuse, 10 A",,0,120,EUR,0`)

        const problem = await refusal(
          rota.imports.parts({ headers: {}, payload: `${header}\r\n${sku},Fuse,120,EUR\r\nX,,1,EUR\r\n` })
        )
        assert.strictEqual(problem.status, 422)
        assert.isTrue(problem.is("import_rejected"))
        if (problem.is("import_rejected"))
          assert.deepStrictEqual(
            problem.problem.errors.map((issue) => [issue.row, issue.column]),
            [
              [2, "sku"],
              [3, "name"]
            ]
          )
      })
    )

    it.effect("the light client sends the file as text/csv and reads the export as text", () =>
      scenario(async (url) => {
        const rota = await owner(url, "csvlite")
        const light = connect({
          baseUrl: url,
          accessToken: rota.session.accessToken,
          orgId: rota.session.orgId
        })
        const sku = `LITE-${unique()}`
        const created = await imports(light).parts({
          headers: {},
          payload: `${header}\r\n${sku},Cap,5,EUR\r\n`
        })
        assert.deepStrictEqual(created, { kind: "parts", created: 1 })
        const csv = await exports(light).parts()
        assert.include(String(csv), `,${sku},Cap,`)
      })
    )
  }
)
