/**
 * `?q=` on lists: a case-insensitive substring match over a few text columns.
 *
 * @since 0.1.0
 */
import type { SqlClient, Statement } from "effect/sql"

// `%` and `_` in the user's text are literal characters, not patterns.
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, "\\$&")

/**
 * `(a ILIKE '%q%' OR b ILIKE '%q%' ...)`, or `undefined` for a blank `q` (no filter).
 *
 * @since 0.1.0
 * @category sql
 */
export const contains = (
  sql: SqlClient.SqlClient,
  columns: ReadonlyArray<string>,
  q: string | undefined
): Statement.Fragment | undefined => {
  const text = q?.trim()
  if (text === undefined || text === "") return undefined
  const pattern = `%${escapeLike(text)}%`
  return sql`(${sql.or(columns.map((column) => sql`${sql(column)} ILIKE ${pattern}`))})`
}
