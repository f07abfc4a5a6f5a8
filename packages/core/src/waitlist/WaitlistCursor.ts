/**
 * The cursor of a ranked waitlist page: the last resource and rank seen.
 *
 * @since 0.1.0
 */
import { Effect, Option, Schema } from "effect"
import { Uuid } from "../kernel/Ids.ts"
import { invalidCursor, maxCursorLength } from "../kernel/Pagination.ts"

// Pages of a ranked listing: the cursor names the last resource and rank seen. Both reach SQL,
// so a forged one must not carry a malformed id or a rank beyond an integer column's range.
const CursorSchema = Schema.Tuple([
  Uuid,
  Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 2_000_000_000 })))
])
/**
 * @since 0.1.0
 * @category cursors
 */
export const encodeCursor = (resourceId: string, rank: number) =>
  globalThis.btoa(JSON.stringify([resourceId, rank])).replace(/=+$/, "")
const decodePosition = Schema.decodeUnknownOption(CursorSchema)
const parse = (cursor: string): unknown => {
  try {
    return JSON.parse(globalThis.atob(cursor))
  } catch {
    return undefined
  }
}
/**
 * @since 0.1.0
 * @category cursors
 */
export const decodeCursor = (cursor: string) => {
  const position = cursor.length > maxCursorLength ? Option.none() : decodePosition(parse(cursor))
  return Option.isSome(position)
    ? Effect.succeed({ resourceId: position.value[0], rank: position.value[1] })
    : Effect.fail(invalidCursor())
}
