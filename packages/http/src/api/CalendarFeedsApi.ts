/**
 * `/v1/calendar-feeds`: secret calendar URLs per person or resource, and `/v1/calendar/{token}.ics`,
 * the public iCalendar feed a calendar app subscribes to.
 *
 * @since 0.1.0
 */
import { CalendarFeed, Ids, Pagination } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { page } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, PublicThrottle, Requires, Tenant } from "./Security.ts"

/**
 * A new feed and its URL: the only answer that carries the URL's token.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WithUrl = Schema.Struct({
  id: CalendarFeed.CalendarFeedId,
  feed: CalendarFeed.CalendarFeed,
  url: Schema.String.annotate({
    description: "The feed's secret URL, shown this once: anyone holding it reads the calendar."
  })
})

const docs = "docs/calendar-feeds.md"
const id = { id: Ids.Uuid }

/**
 * @since 0.1.0
 * @category groups
 */
export class CalendarFeedsApi extends HttpApiGroup.make("calendarFeeds")
  .add(
    // No idempotency key: a stored answer would keep the URL's token in clear.
    HttpApiEndpoint.post("create", "/v1/calendar-feeds", {
      payload: Schema.Struct({ kind: CalendarFeed.FeedKind, subjectId: Ids.Uuid }),
      success: WithUrl.pipe(HttpApiSchema.status(201)),
      error: [Problems.NotFound, Problems.Forbidden]
    })
      .annotate(Requires, "calendar.manage|own")
      .annotate(OpenApi.Summary, "Create a calendar feed")
      .annotate(
        OpenApi.Description,
        "A secret iCalendar URL for a person (`kind: person`, `subjectId` an account of the org) or a " +
          "resource (all its units). Anyone may subscribe to their own time; `calendar.manage` is " +
          `needed for someone else's or a resource's. The URL is answered once. See ${docs}.`
      ),
    HttpApiEndpoint.get("list", "/v1/calendar-feeds", {
      query: page,
      success: Pagination.Page(CalendarFeed.CalendarFeed)
    })
      .annotate(Requires, "calendar.manage|own")
      .annotate(OpenApi.Summary, "List calendar feeds")
      .annotate(
        OpenApi.Description,
        "Live feeds, oldest first, keyset-paged: the org's for `calendar.manage`, the caller's own " +
          "otherwise. Never their URLs."
      ),
    HttpApiEndpoint.get("get", "/v1/calendar-feeds/:id", {
      params: id,
      success: CalendarFeed.CalendarFeed,
      error: Problems.NotFound
    })
      .annotate(Requires, "calendar.manage|own")
      .annotate(OpenApi.Summary, "Read a calendar feed")
      .annotate(
        OpenApi.Description,
        "A live feed: the caller's own, or any of the org's for `calendar.manage`."
      ),
    HttpApiEndpoint.delete("revoke", "/v1/calendar-feeds/:id", {
      params: id,
      success: HttpApiSchema.NoContent,
      error: Problems.NotFound
    })
      .annotate(Requires, "calendar.manage|own")
      .annotate(OpenApi.Summary, "Revoke a calendar feed")
      .annotate(OpenApi.Description, "The feed's URL answers 404 from now on.")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Calendar feeds",
      description:
        "Secret iCalendar URLs of a person's or a resource's bookings, assignments, interventions and leave."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class CalendarApi extends HttpApiGroup.make("calendar")
  .add(
    HttpApiEndpoint.get("feed", "/v1/calendar/:file", {
      params: { file: Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 200))) },
      success: Schema.String.pipe(HttpApiSchema.asText({ contentType: "text/calendar; charset=utf-8" })),
      error: [Problems.NotFound, Problems.RateLimited]
    })
      .annotate(Requires, "public")
      .annotate(OpenApi.Summary, "Read a calendar feed as iCalendar")
      .annotate(
        OpenApi.Description,
        "`{token}.ics`, as answered when the feed was created; no login. The subject's bookings, " +
          "crew assignments, interventions and approved leave from 30 days back to 180 days ahead, " +
          `each with a stable UID. An unknown or revoked token is 404. Rate limited per client address and per feed. See ${docs}.`
      )
      .middleware(InputGuard)
      .middleware(PublicThrottle)
  )
  .annotateMerge(
    OpenApi.annotations({
      title: "Calendar",
      description: "The public iCalendar feeds, read with their secret URL."
    })
  ) {}
