/**
 * @since 0.1.0
 */

import { CalendarFeeds, Errors, Pagination } from "@rota/core"
import { Effect, Redacted } from "effect"
import { HttpServerRequest } from "effect/http"
import { Api } from "../../api/Api.ts"
import * as CalendarRendering from "./CalendarRendering.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

const suffix = ".ics"

// The URL as the caller reached this server (a proxy in front says how with X-Forwarded-*).
const feedUrl = (request: HttpServerRequest.HttpServerRequest, token: string) => {
  const proto = request.headers["x-forwarded-proto"]?.split(",")[0]?.trim() ?? "http"
  const host = request.headers["x-forwarded-host"] ?? request.headers.host ?? "localhost"
  return `${proto === "https" ? "https" : "http"}://${host}/v1/calendar/${token}${suffix}`
}

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = HandlerGroup.group(
  Api,
  "calendarFeeds",
  Effect.fn(function* (handlers) {
    const feeds = yield* CalendarFeeds.CalendarFeeds
    return handlers
      .handle("create", ({ payload }) =>
        toProblems(
          Effect.gen(function* () {
            const request = yield* HttpServerRequest.HttpServerRequest
            const { feed, token } = yield* feeds.create(payload)
            // The one place the token leaves the server: in the answer to whoever made the feed.
            return { id: feed.id, feed, url: feedUrl(request, Redacted.value(token)) }
          })
        )
      )
      .handle("list", ({ query }) =>
        toProblems(feeds.list({ limit: query.limit ?? Pagination.defaultLimit, cursor: query.cursor }))
      )
      .handle("get", ({ params }) => toProblems(feeds.get(params.id)))
      .handle("revoke", ({ params }) => toProblems(feeds.revoke(params.id)))
  })
)

/**
 * @since 0.1.0
 * @category handlers
 */
export const publicLayer = HandlerGroup.group(
  Api,
  "calendar",
  Effect.fn(function* (handlers) {
    const feeds = yield* CalendarFeeds.CalendarFeeds
    return handlers.handle("feed", ({ params }) =>
      toProblems(
        params.file.endsWith(suffix)
          ? Effect.map(feeds.serve(params.file.slice(0, -suffix.length)), CalendarRendering.render)
          : Effect.fail(new Errors.NotFound({ entity: "calendar_feed", id: "token" }))
      )
    )
  })
)
