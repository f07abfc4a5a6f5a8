/**
 * Keyset pages over rows held in memory, as the PostgreSQL adapters page: by one key then the
 * id, in either direction, resumed from an opaque cursor; a cursor that does not decode is
 * `ValidationFailed`. For the memory adapters of the ports.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import type { ValidationFailed } from "../kernel/Errors.ts"
import { decodeCursor, fromRows, type Page, type Position } from "../kernel/Pagination.ts"

const compare = (a: Position, b: Position): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0

/**
 * One page of `rows` ordered by `positionOf` (key, then id) in `direction`.
 *
 * @since 0.1.0
 * @category pages
 */
export const pageOf = <A>(
  rows: Iterable<A>,
  options: {
    readonly positionOf: (row: A) => Position
    readonly direction: "asc" | "desc"
    readonly limit: number
    readonly cursor?: string | undefined
  }
): Effect.Effect<Page<A>, ValidationFailed> =>
  Effect.map(
    options.cursor === undefined ? Effect.succeed(undefined) : decodeCursor(options.cursor),
    (after) => {
      const sign = options.direction === "asc" ? 1 : -1
      const ordered = [...rows].sort((a, b) => sign * compare(options.positionOf(a), options.positionOf(b)))
      const rest =
        after === undefined
          ? ordered
          : ordered.filter((row) => sign * compare(options.positionOf(row), after) > 0)
      return fromRows(rest.slice(0, options.limit + 1), options.limit, options.positionOf)
    }
  )
