/**
 * The position of a ranked waitlist page, in the cursor format every list shares
 * (`Pagination`): the last rank seen is the key and its resource the id.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import * as Pagination from "../kernel/Pagination.ts"

// The rank reaches SQL as an integer column's value, so a forged cursor must not carry one
// beyond that column's range (the shared cursor accepts any safe integer).
const maxRank = 2_000_000_000

/**
 * Where a ranked row sits in the line.
 *
 * @since 0.1.0
 * @category cursors
 */
export const positionOf = (row: {
  readonly entry: { readonly resourceId: string }
  readonly rank: number
}): Pagination.Position => [row.rank, row.entry.resourceId]

/**
 * Reads a cursor back into the last resource and rank seen; anything else is a 400.
 *
 * @since 0.1.0
 * @category cursors
 */
export const decodeCursor = (cursor: string) =>
  Effect.flatMap(Pagination.decodeCursor(cursor), ([rank, resourceId]) =>
    typeof rank === "number" && rank >= 0 && rank <= maxRank
      ? Effect.succeed({ resourceId, rank })
      : Effect.fail(Pagination.invalidCursor())
  )
