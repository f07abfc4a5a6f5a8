/**
 * Blackout routes: each handler turns the request into a use-case call.
 *
 * @since 0.1.0
 */

import { Blackouts, Pagination } from "@rota/core"
import { Effect } from "effect"
import { Api } from "../../api/Api.ts"
import * as Preconditions from "../edge/Preconditions.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = HandlerGroup.group(
  Api,
  "blackouts",
  Effect.fn(function* (handlers) {
    const blackouts = yield* Blackouts.Blackouts
    return handlers
      .handle("create", ({ payload }) => toProblems(blackouts.create(payload)))
      .handle("list", ({ query }) =>
        toProblems(
          blackouts.list({
            limit: query.limit ?? Pagination.defaultLimit,
            cursor: query.cursor,
            filters: {
              scope: query.scope,
              scopeId: query.scopeId,
              unitId: query.unitId,
              from: query.from,
              to: query.to
            }
          })
        )
      )
      .handle("get", ({ params }) => toProblems(blackouts.get(params.id)))
      .handle("remove", ({ params, headers }) =>
        toProblems(Effect.asVoid(blackouts.remove(params.id, Preconditions.ifMatch(headers, false))))
      )
  })
)
