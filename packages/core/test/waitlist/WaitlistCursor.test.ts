import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Pagination from "../../src/kernel/Pagination.ts"
import { decodeCursor, positionOf } from "../../src/waitlist/WaitlistCursor.ts"

const resourceId = "0196f2f8-3c55-7a4e-9d4b-1f2e3d4c5b6a"
const invalid = [{ path: ["query", "cursor"], message: "Invalid cursor" }]

describe("WaitlistCursor", () => {
  it.effect("a ranked page's cursor is the shared cursor of its last rank and resource", () =>
    Effect.gen(function* () {
      const row = { entry: { resourceId, status: "OFFERED" as const }, rank: 41 }
      const cursor = Pagination.encodeCursor(positionOf(false)(row))
      assert.deepStrictEqual(yield* decodeCursor(cursor), { resourceId, rank: 41 })
    })
  )

  it.effect("ranked by status, the cursor carries the status group with the rank", () =>
    Effect.gen(function* () {
      const row = { entry: { resourceId, status: "CANCELLED" as const }, rank: 3 }
      const cursor = Pagination.encodeCursor(positionOf(true)(row))
      assert.deepStrictEqual(yield* decodeCursor(cursor, true), { resourceId, status: "CANCELLED", rank: 3 })
      // One form cannot continue a page of the other: a 400, like every foreign cursor.
      assert.deepStrictEqual((yield* Effect.flip(decodeCursor(cursor))).errors, invalid)
      const byRank = Pagination.encodeCursor(positionOf(false)(row))
      assert.deepStrictEqual((yield* Effect.flip(decodeCursor(byRank, true))).errors, invalid)
    })
  )

  it.effect("a rank that could not come from the line is a 400 on the cursor, not a query", () =>
    Effect.gen(function* () {
      for (const key of [-1, 2_000_000_001, 1.5, "41"]) {
        const error = yield* Effect.flip(decodeCursor(Pagination.encodeCursor([key, resourceId])))
        assert.deepStrictEqual(error.errors, invalid)
      }
      for (const key of [
        3,
        "WAITING",
        "WAITING:",
        "WAITING:-1",
        "WAITING:01",
        "WAITING:2000000001",
        "GONE:3",
        "WAITING:3 "
      ]) {
        const error = yield* Effect.flip(decodeCursor(Pagination.encodeCursor([key, resourceId]), true))
        assert.deepStrictEqual(error.errors, invalid)
      }
    })
  )
})
