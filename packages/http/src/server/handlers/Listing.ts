/**
 * The query parameters every record listing shares, turned into what the use cases take.
 *
 * @since 0.1.0
 */
import { Errors, Pagination } from "@rota/core"
import { Effect } from "effect"
import { maxNumberedRows } from "../../api/ListQuery.ts"

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

/**
 * Answers a list route that takes `page`/`size` beside `limit`/`cursor`. A numbered page is the
 * last `size` rows of the first `page * size` in the route's keyset order (one query, bounded by
 * `maxNumberedRows`); its `nextCursor` continues right after it, so a client can switch to the
 * cursor for deeper pages. No total is counted: `hasMore` says whether rows follow.
 *
 * @since 0.1.0
 * @category decoding
 */
export const paged = <A, E, R>(
  query: {
    readonly limit?: number
    readonly cursor?: string
    readonly page?: number
    readonly size?: number
  },
  list: (request: {
    readonly limit: number
    readonly cursor: string | undefined
  }) => Effect.Effect<Pagination.Page<A>, E, R>
): Effect.Effect<ListPage<A>, E | Errors.ValidationFailed, R> => {
  if (query.page === undefined && query.size === undefined) {
    return Effect.map(
      list({ limit: query.limit ?? Pagination.defaultLimit, cursor: query.cursor }),
      (page) => ({
        ...page,
        hasMore: page.nextCursor !== null
      })
    )
  }
  if (query.cursor !== undefined || query.limit !== undefined) {
    return Effect.fail(
      invalid(
        query.cursor !== undefined ? "cursor" : "limit",
        "Use either page/size or cursor/limit, not both"
      )
    )
  }
  const page = query.page ?? 1
  const size = query.size ?? Pagination.defaultLimit
  if (page * size > maxNumberedRows) {
    return Effect.fail(
      invalid(
        "page",
        `page * size must be at most ${maxNumberedRows}; continue from nextCursor for deeper rows`
      )
    )
  }
  return Effect.map(list({ limit: page * size, cursor: undefined }), (rows) => ({
    items: rows.items.slice((page - 1) * size),
    nextCursor: rows.nextCursor,
    hasMore: rows.nextCursor !== null,
    page,
    size
  }))
}

/**
 * A page as list routes with `page`/`size` answer it.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListPage<A> extends Pagination.Page<A> {
  readonly hasMore: boolean
  readonly page?: number
  readonly size?: number
}

const invalid = (parameter: string, message: string) =>
  new Errors.ValidationFailed({ errors: [{ path: ["query", parameter], message }] })
