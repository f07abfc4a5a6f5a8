/**
 * Waitlist routes: each handler turns the request into a use-case call.
 *
 * @since 0.1.0
 */

import { Pagination, Waitlist, type WaitlistEntry } from "@rota/core"
import { Effect } from "effect"
import { Api } from "../../api/Api.ts"
import * as Preconditions from "../edge/Preconditions.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

const ifMatch = (headers: { readonly "if-match"?: string }) => Preconditions.ifMatch(headers, false)

// Listings show each entry flat, with its live score in place of the stored one.
const view = (ranked: WaitlistEntry.RankedEntry) => ({
  ...ranked.entry,
  priorityScore: ranked.priorityScore,
  rank: ranked.rank,
  scoreParts: ranked.scoreParts
})

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = HandlerGroup.group(
  Api,
  "waitlist",
  Effect.fn(function* (handlers) {
    const waitlist = yield* Waitlist.Waitlist
    const listing = (query: {
      readonly limit?: number
      readonly cursor?: string
      readonly resourceId?: WaitlistEntry.WaitlistFilters["resourceId"]
      readonly status?: WaitlistEntry.WaitlistFilters["statuses"]
    }) => ({
      filters: { resourceId: query.resourceId, statuses: query.status },
      page: { limit: query.limit ?? Pagination.defaultLimit, cursor: query.cursor }
    })
    return handlers
      .handle("join", ({ payload }) => toProblems(waitlist.join(payload)))
      .handle("list", ({ query }) => {
        const { filters, page } = listing(query)
        return toProblems(waitlist.list(filters, page)).pipe(
          Effect.map((result) => ({ items: result.items.map(view), nextCursor: result.nextCursor }))
        )
      })
      .handle("mine", ({ query }) => {
        const { filters, page } = listing(query)
        return toProblems(waitlist.mine(filters, page)).pipe(
          Effect.map((result) => ({ items: result.items.map(view), nextCursor: result.nextCursor }))
        )
      })
      .handle("get", ({ params }) => toProblems(waitlist.get(params.id)))
      .handle("offer", ({ params, headers, payload }) =>
        toProblems(waitlist.offer(params.id, ifMatch(headers), payload))
      )
      .handle("accept", ({ params, headers }) => toProblems(waitlist.accept(params.id, ifMatch(headers))))
      .handle("decline", ({ params, headers }) => toProblems(waitlist.decline(params.id, ifMatch(headers))))
      .handle("cancel", ({ params, headers }) => toProblems(waitlist.cancel(params.id, ifMatch(headers))))
      .handle("refuse", ({ params, headers }) => toProblems(waitlist.refuse(params.id, ifMatch(headers))))
      .handle("expire", ({ params, headers }) => toProblems(waitlist.expire(params.id, ifMatch(headers))))
  })
)
