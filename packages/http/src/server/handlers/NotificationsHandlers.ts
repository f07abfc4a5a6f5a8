/**
 * Notification routes: each handler turns the request into an `Inbox` call.
 *
 * @since 0.1.0
 */

import { Inbox, Pagination } from "@rota/core"
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
  "notifications",
  Effect.fn(function* (handlers) {
    const inbox = yield* Inbox.Inbox
    const items = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
      Effect.map(effect, (found) => ({ items: found }))
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          inbox.list(
            { unread: query.unread },
            { limit: query.limit ?? Pagination.defaultLimit, cursor: query.cursor }
          )
        )
      )
      .handle("unreadCount", () => toProblems(Effect.map(inbox.unreadCount, (count) => ({ count }))))
      .handle("readAll", () => toProblems(Effect.map(inbox.markAllRead, (updated) => ({ updated }))))
      .handle("read", ({ params }) => toProblems(inbox.markRead(params.id)))
      .handle("preferences", () => toProblems(items(inbox.preferences)))
      .handle("setPreferences", ({ payload }) => toProblems(items(inbox.setPreferences(payload.items))))
      .handle("defaults", () => toProblems(items(inbox.orgDefaults)))
      .handle("setDefaults", ({ payload }) => toProblems(items(inbox.setOrgDefaults(payload.items))))
  })
)
