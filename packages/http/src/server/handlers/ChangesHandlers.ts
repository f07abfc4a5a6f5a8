/**
 * @since 0.1.0
 */

import { ChangeFeed, Errors, Pagination } from "@rota/core"
import { Effect } from "effect"
import { Api } from "../../api/Api.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = HandlerGroup.group(
  Api,
  "changes",
  Effect.fn(function* (handlers) {
    const feed = yield* ChangeFeed.ChangeFeed
    return handlers.handle("list", ({ query }) =>
      // `cursor` (the next page) and `since` (where a sync stopped) are the same kind of position;
      // a refused one is named as the client sent it.
      toProblems(
        feed.list(query.cursor ?? query.since, query.limit ?? Pagination.defaultLimit).pipe(
          Effect.mapError((error) =>
            error._tag === "ValidationFailed" && query.cursor !== undefined
              ? new Errors.ValidationFailed({
                  errors: error.errors.map((issue) =>
                    issue.path.join(".") === "query.since" ? { ...issue, path: ["query", "cursor"] } : issue
                  )
                })
              : error
          )
        )
      )
    )
  })
)
