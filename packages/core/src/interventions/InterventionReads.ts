/**
 * Reading interventions and their timeline, posting to the timeline, and the leaderboard.
 * Members see only the interventions where they are the client.
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Effect } from "effect"
import * as Audit from "../kernel/Audit.ts"
import type { PageRequest } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import type { ListQuery } from "../kernel/Records.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import * as Timestamp from "../kernel/Timestamp.ts"
import { access } from "./Access.ts"
import type { InterventionFilters, InterventionSort } from "./Intervention.ts"
import type { Deps } from "./InterventionDeps.ts"
import { append, find, invalid, seesAll } from "./InterventionSteps.ts"
import { dataOf, type PostedEvent } from "./TimelineEvent.ts"

/**
 * @since 0.1.0
 * @category steps
 */
export const list = (deps: Deps) =>
  Effect.fnUntraced(function* (query: ListQuery<InterventionFilters, InterventionSort>) {
    const actor = yield* CurrentActor
    return yield* deps.catalog.list(
      (yield* seesAll) ? query : { ...query, filters: { ...query.filters, visibleTo: actor.accountId } }
    )
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const timeline = (deps: Deps) => (id: string, page: PageRequest) =>
  Effect.flatMap(find(deps, id), (intervention) =>
    deps.timeline.list(intervention.orgId, intervention.id, page)
  )

/**
 * @since 0.1.0
 * @category steps
 */
export const postEvent = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, posted: PostedEvent) {
    yield* Permissions.require(access.write)
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const intervention = yield* find(deps, id)
        const event = yield* append(deps, intervention, posted.type, dataOf(posted))
        yield* Audit.record({
          entityType: "intervention_event",
          entityId: event.id,
          action: "CREATE",
          after: event
        })
        return event
      }).pipe(Effect.provide(deps.services))
    )
  })

/**
 * Defaults to the 30 days up to now.
 *
 * @since 0.1.0
 * @category steps
 */
export const leaderboard = (deps: Deps) =>
  Effect.fnUntraced(function* (period: {
    readonly from?: DateTime.Utc | undefined
    readonly to?: DateTime.Utc | undefined
  }) {
    yield* Permissions.require(access.read)
    const actor = yield* CurrentActor
    const to = period.to ?? (yield* DateTime.now)
    const from = period.from ?? Timestamp.clamp(DateTime.subtractDuration(to, Duration.days(30)))
    if (!DateTime.isGreaterThan(to, from))
      return yield* invalid([{ path: ["query", "to"], message: "Expected to to be after from" }])
    const items = yield* deps.interventions.leaderboard(actor.orgId, { startAt: from, endAt: to }, 100)
    return { from, to, items }
  })
