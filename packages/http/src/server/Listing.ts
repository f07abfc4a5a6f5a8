/**
 * The query parameters every record listing shares, turned into what the use cases take.
 *
 * @since 0.1.0
 */
import { Pagination } from "@rota/core"

/**
 * `limit` (defaulted), `cursor`, `includeDeleted` and `sort` (parsed), with the entity's filters.
 *
 * @since 0.1.0
 * @category decoding
 */
export const listing = <Filters, Field extends string>(
  query: {
    readonly limit?: number
    readonly cursor?: string
    readonly includeDeleted?: boolean
    readonly sort?: Field | `-${Field}`
  },
  filters: Filters
) => ({
  limit: query.limit ?? Pagination.defaultLimit,
  cursor: query.cursor,
  includeDeleted: query.includeDeleted,
  sort: query.sort === undefined ? undefined : Pagination.parseSort<Field>(query.sort),
  filters
})
