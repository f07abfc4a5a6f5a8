/**
 * Inventory routes: each handler turns the request into a use-case call, nothing more.
 *
 * @since 0.1.0
 */

import { Parts, Resources, Sites, Tags, Units } from "@rota/core"
import { Effect, Layer } from "effect"
import { Api } from "../../api/Api.ts"
import * as Preconditions from "../edge/Preconditions.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"
import { listing, paged } from "./Listing.ts"

const sitesHandlers = HandlerGroup.group(
  Api,
  "sites",
  Effect.fn(function* (handlers) {
    const sites = yield* Sites.Sites
    return handlers
      .handle("list", ({ query }) =>
        toProblems(paged(query, (page) => sites.list({ ...listing(query, { q: query.q }), ...page })))
      )
      .handle("create", ({ payload }) => toProblems(sites.create(payload)))
      .handle("get", ({ params, query }) => toProblems(sites.get(params.id, query)))
      .handle("update", ({ params, headers, payload }) =>
        toProblems(sites.update(params.id, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("remove", ({ params, headers }) =>
        toProblems(sites.remove(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("restore", ({ params, headers }) =>
        toProblems(sites.restore(params.id, Preconditions.ifMatch(headers, false)))
      )
  })
)

const tagsHandlers = HandlerGroup.group(
  Api,
  "tags",
  Effect.fn(function* (handlers) {
    const tags = yield* Tags.Tags
    return handlers
      .handle("list", ({ query }) =>
        toProblems(paged(query, (page) => tags.list({ ...listing(query, { q: query.q }), ...page })))
      )
      .handle("create", ({ payload }) => toProblems(tags.create(payload)))
      .handle("get", ({ params, query }) => toProblems(tags.get(params.id, query)))
      .handle("update", ({ params, headers, payload }) =>
        toProblems(tags.update(params.id, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("remove", ({ params, headers }) =>
        toProblems(tags.remove(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("restore", ({ params, headers }) =>
        toProblems(tags.restore(params.id, Preconditions.ifMatch(headers, false)))
      )
  })
)

const resourcesHandlers = HandlerGroup.group(
  Api,
  "resources",
  Effect.fn(function* (handlers) {
    const resources = yield* Resources.Resources
    const units = yield* Units.Units
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          paged(query, (page) =>
            resources.list({
              ...listing(query, {
                types: query.type,
                statuses: query.status,
                tag: query.tag,
                siteId: query.siteId,
                q: query.q,
                createdFrom: query.createdFrom,
                createdTo: query.createdTo
              }),
              ...page
            })
          )
        )
      )
      .handle("create", ({ payload }) => toProblems(resources.create(payload)))
      .handle("get", ({ params, query }) => toProblems(resources.get(params.id, query)))
      .handle("update", ({ params, headers, payload }) =>
        toProblems(resources.update(params.id, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("remove", ({ params, headers }) =>
        toProblems(resources.remove(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("restore", ({ params, headers }) =>
        toProblems(resources.restore(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("listUnits", ({ params, query }) =>
        toProblems(
          units.list(
            params.id,
            listing(query, { statuses: query.status, conditions: query.condition, q: query.q })
          )
        )
      )
      .handle("createUnit", ({ params, payload }) => toProblems(units.create(params.id, payload)))
  })
)

const unitsHandlers = HandlerGroup.group(
  Api,
  "units",
  Effect.fn(function* (handlers) {
    const units = yield* Units.Units
    return handlers
      .handle("get", ({ params, query }) => toProblems(units.get(params.id, query)))
      .handle("update", ({ params, headers, payload }) =>
        toProblems(units.update(params.id, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("remove", ({ params, headers }) =>
        toProblems(units.remove(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("restore", ({ params, headers }) =>
        toProblems(units.restore(params.id, Preconditions.ifMatch(headers, false)))
      )
  })
)

const partsHandlers = HandlerGroup.group(
  Api,
  "parts",
  Effect.fn(function* (handlers) {
    const parts = yield* Parts.Parts
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          paged(query, (page) =>
            parts.list({ ...listing(query, { q: query.q, lowStock: query.lowStock }), ...page })
          )
        )
      )
      .handle("create", ({ payload }) => toProblems(parts.create(payload)))
      .handle("get", ({ params, query }) => toProblems(parts.get(params.id, query)))
      .handle("update", ({ params, headers, payload }) =>
        toProblems(parts.update(params.id, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("remove", ({ params, headers }) =>
        toProblems(parts.remove(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("restore", ({ params, headers }) =>
        toProblems(parts.restore(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("adjust", ({ params, headers, payload }) =>
        toProblems(parts.adjust(params.id, Preconditions.ifMatch(headers, false), payload))
      )
  })
)

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = Layer.mergeAll(
  sitesHandlers,
  tagsHandlers,
  resourcesHandlers,
  unitsHandlers,
  partsHandlers
)
