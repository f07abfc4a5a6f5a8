/**
 * `/v1/changes`: the org's change feed, so integrators can sync without webhooks.
 *
 * @since 0.1.0
 */
import { Change, Pagination } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import { page } from "./ListQuery.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"

/**
 * @since 0.1.0
 * @category groups
 */
export class ChangesApi extends HttpApiGroup.make("changes")
  .add(
    HttpApiEndpoint.get("list", "/v1/changes", {
      query: {
        ...page,
        since: Schema.optionalKey(Change.ChangeCursor)
      },
      success: Pagination.Page(Change.Change)
    })
      .annotate(Requires, "changes.read")
      .annotate(OpenApi.Summary, "Read the change feed")
      .annotate(
        OpenApi.Description,
        "What changed in the org after `since` (a change's `cursor`; from the start without it), " +
          "oldest first, in commit order: the topic, the entity's type and id, and when. `nextCursor` " +
          "pages on while more changes exist now; keep the last item's `cursor` to resume later. " +
          "Read the entity itself for its data. See docs/change-feed.md."
      )
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Changes",
      description: "The change feed: every change to the org's records, in commit order."
    })
  ) {}
