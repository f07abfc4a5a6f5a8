/**
 * The position of a ranked waitlist page, in the cursor format every list shares
 * (`Pagination`): the resource is the id; the key is the last rank seen, or, when ranks run
 * within each status (`ranksByOwnStatus`), the status and the rank as `WAITING:3`.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import type { ValidationFailed } from "../kernel/Errors.ts"
import * as Pagination from "../kernel/Pagination.ts"
import { WaitlistStatus } from "./WaitlistEntry.ts"

// The rank reaches SQL as an integer column's value, so a forged cursor must not carry one
// beyond that column's range (the shared cursor accepts any safe integer).
const maxRank = 2_000_000_000

const isStatus = Schema.is(WaitlistStatus)

/**
 * Where a ranked row sits in the line: by rank, or by status and rank.
 *
 * @since 0.1.0
 * @category cursors
 */
export const positionOf =
  (byStatus: boolean) =>
  (row: {
    readonly entry: { readonly resourceId: string; readonly status: WaitlistStatus }
    readonly rank: number
  }): Pagination.Position => [byStatus ? `${row.entry.status}:${row.rank}` : row.rank, row.entry.resourceId]

const rankOf = (key: unknown) =>
  typeof key === "number" && Number.isInteger(key) && key >= 0 && key <= maxRank ? key : undefined

// `STATUS:rank`, the rank in decimal digits only.
const statusRankOf = (key: unknown) => {
  const match = typeof key === "string" ? /^([A-Z]+):(0|[1-9][0-9]{0,9})$/.exec(key) : null
  const status = match?.[1]
  const rank = rankOf(Number(match?.[2]))
  return status !== undefined && isStatus(status) && rank !== undefined ? { status, rank } : undefined
}

/**
 * Reads a cursor back into the last resource, rank (and status, `byStatus`) seen; anything else
 * is a 400. A cursor of the other form is a 400 too: a page ordered by status cannot continue
 * after a rank alone, nor the other way round.
 *
 * @since 0.1.0
 * @category cursors
 */
export const decodeCursor = (
  cursor: string,
  byStatus = false
): Effect.Effect<
  { readonly resourceId: string; readonly status?: WaitlistStatus; readonly rank: number },
  ValidationFailed
> =>
  Effect.flatMap(Pagination.decodeCursor(cursor), ([key, resourceId]) => {
    if (byStatus) {
      const read = statusRankOf(key)
      return read === undefined
        ? Effect.fail(Pagination.invalidCursor())
        : Effect.succeed({ resourceId, status: read.status, rank: read.rank })
    }
    const rank = rankOf(key)
    return rank === undefined ? Effect.fail(Pagination.invalidCursor()) : Effect.succeed({ resourceId, rank })
  })
