/**
 * Maintenance plans and planning view routes: each handler turns the request into a use-case
 * call.
 *
 * @since 0.1.0
 */

import { MaintenancePlans, Pagination, Planning } from "@rota/core"
import { Effect, Layer } from "effect"
import { Api } from "../../api/Api.ts"
import * as Preconditions from "../edge/Preconditions.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

const plansHandlers = HandlerGroup.group(
  Api,
  "maintenancePlans",
  Effect.fn(function* (handlers) {
    const plans = yield* MaintenancePlans.MaintenancePlans
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          plans.list({
            limit: query.limit ?? Pagination.defaultLimit,
            cursor: query.cursor,
            includeDeleted: query.includeDeleted,
            sort: query.sort === undefined ? undefined : Pagination.parseSort(query.sort),
            filters: { resourceId: query.resourceId, unitId: query.unitId, statuses: query.status }
          })
        )
      )
      .handle("create", ({ payload }) => toProblems(plans.create(payload)))
      .handle("get", ({ params, query }) => toProblems(plans.get(params.id, query)))
      .handle("update", ({ params, headers, payload }) =>
        toProblems(plans.update(params.id, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("remove", ({ params, headers }) =>
        toProblems(plans.remove(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("restore", ({ params, headers }) =>
        toProblems(plans.restore(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("pause", ({ params, headers }) =>
        toProblems(plans.pause(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("resume", ({ params, headers }) =>
        toProblems(plans.resume(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("occurrences", ({ params, query }) =>
        toProblems(Effect.map(plans.occurrences(params.id, query.count ?? 10), (items) => ({ items })))
      )
  })
)

const planningHandlers = HandlerGroup.group(
  Api,
  "planning",
  Effect.fn(function* (handlers) {
    const planning = yield* Planning.Planning
    return handlers.handle("view", ({ query }) => toProblems(planning.view(query)))
  })
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.mergeAll(plansHandlers, planningHandlers)
