import { assert, describe, it } from "@effect/vitest"
import { Effect } from "effect"
import * as Pagination from "../../src/kernel/Pagination.ts"
import { decodeCursor, positionOf } from "../../src/waitlist/WaitlistCursor.ts"

const resourceId = "0196f2f8-3c55-7a4e-9d4b-1f2e3d4c5b6a"

describe("WaitlistCursor", () => {
  it.effect("a ranked page's cursor is the shared cursor of its last rank and resource", () =>
    Effect.gen(function* () {
      const cursor = Pagination.encodeCursor(positionOf({ entry: { resourceId }, rank: 41 }))
      assert.deepStrictEqual(yield* decodeCursor(cursor), { resourceId, rank: 41 })
    })
  )

  it.effect("a rank that could not come from the line is a 400 on the cursor, not a query", () =>
    Effect.gen(function* () {
      for (const key of [-1, 2_000_000_001, 1.5, "41"]) {
        const error = yield* Effect.flip(decodeCursor(Pagination.encodeCursor([key, resourceId])))
        assert.deepStrictEqual(error.errors, [{ path: ["query", "cursor"], message: "Invalid cursor" }])
      }
    })
  )
})
