import { assert, describe, it } from "@effect/vitest"
import { Effect, Schema } from "effect"
import { Pagination } from "../src/index.ts"

describe("Pagination", () => {
  it.effect("a cursor reads back the position it was made from", () =>
    Effect.gen(function* () {
      const position: Pagination.Position = [1_700_000_000_000, "018f0000-0000-7000-8000-000000000001"]
      assert.deepStrictEqual(yield* Pagination.decodeCursor(Pagination.encodeCursor(position)), position)
    })
  )

  it.effect("a forged cursor is a validation failure", () =>
    Effect.gen(function* () {
      for (const forged of ["not-base64!", Pagination.encodeCursor(["x", "y"]).slice(3), btoa('{"a":1}')]) {
        const error = yield* Effect.flip(Pagination.decodeCursor(forged))
        assert.strictEqual(error._tag, "ValidationFailed")
      }
    })
  )

  it.effect(
    "a cursor reads back only as a text or integer key and a uuid, never a value SQL would refuse",
    () =>
      Effect.gen(function* () {
        const id = "018f0000-0000-7000-8000-000000000001"
        const json = (text: string) => Buffer.from(text).toString("base64url")
        for (const forged of [
          json(`[1, "not-a-uuid"]`),
          json(`[1.5, "${id}"]`),
          json(`[1e400, "${id}"]`),
          json(`[1e300, "${id}"]`),
          json(`[true, "${id}"]`),
          json(`[null, "${id}"]`),
          json(`[["x"], "${id}"]`),
          json(`["a\\u0000b", "${id}"]`),
          json(`["\\ud800", "${id}"]`),
          json(`[1, "${id}", 2]`),
          "A".repeat(Pagination.maxCursorLength + 1)
        ]) {
          const error = yield* Effect.flip(Pagination.decodeCursor(forged))
          assert.deepStrictEqual(error.errors[0]?.path, ["query", "cursor"])
        }
        assert.deepStrictEqual(yield* Pagination.decodeCursor(json(`["Hall \\"A\\" 😀", "${id}"]`)), [
          'Hall "A" 😀',
          id
        ])
      })
  )

  it("a page has a next cursor only when a row beyond the limit was fetched", () => {
    const rows = [1, 2, 3].map((n) => ({ n, id: `id${n}` }))
    const position = (row: { n: number; id: string }): Pagination.Position => [row.n, row.id]
    assert.deepStrictEqual(Pagination.fromRows(rows, 3, position), { items: rows, nextCursor: null })
    const page = Pagination.fromRows(rows, 2, position)
    assert.deepStrictEqual(page.items, rows.slice(0, 2))
    assert.strictEqual(page.nextCursor, Pagination.encodeCursor([2, "id2"]))
  })

  it("limit is 1..100 and sort takes a field or its negation", () => {
    const isLimit = Schema.is(Pagination.Limit)
    assert.isTrue(isLimit(1) && isLimit(100))
    assert.isFalse(isLimit(0) || isLimit(101) || isLimit(1.5))
    const isSort = Schema.is(Pagination.SortParam(["name", "createdAt"]))
    assert.isTrue(isSort("name") && isSort("-createdAt"))
    assert.isFalse(isSort("-password"))
    assert.deepStrictEqual(Pagination.parseSort("-createdAt"), { field: "createdAt", direction: "desc" })
  })
})
