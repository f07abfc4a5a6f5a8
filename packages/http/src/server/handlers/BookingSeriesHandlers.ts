/**
 * Booking series routes: each handler turns the request into a use-case call.
 *
 * @since 0.1.0
 */

import { BookingSeries } from "@rota/core"
import { Effect } from "effect"
import { Api } from "../../api/Api.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = HandlerGroup.group(
  Api,
  "bookingSeries",
  Effect.fn(function* (handlers) {
    const series = yield* BookingSeries.BookingSeries
    return handlers
      .handle("create", ({ payload }) => toProblems(series.create(payload)))
      .handle("get", ({ params }) => toProblems(series.get(params.id)))
      .handle("cancelFrom", ({ params, query }) => toProblems(series.cancelFrom(params.id, query.from)))
  })
)
