/**
 * Booking series routes: each handler turns the request into a use-case call.
 *
 * @since 0.1.0
 */
import { BookingSeries } from "@rota/core"
import { Effect } from "effect"
import { HttpApiBuilder } from "effect/http-api"
import { Api } from "../../api/Api.ts"
import { toProblems } from "./ErrorTable.ts"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = HttpApiBuilder.group(
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
