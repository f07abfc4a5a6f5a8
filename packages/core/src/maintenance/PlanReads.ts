/**
 * Reading a plan's due dates: the next ones of one plan, and those of every active plan in a
 * window (the planning view).
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { access } from "./Access.ts"
import type { Deps } from "./PlanDeps.ts"
import { invalid, ruleOf, timeZoneOf } from "./PlanSteps.ts"
import * as Recurrence from "./Recurrence.ts"

/**
 * The most due dates listed at once.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxOccurrences = 100

/**
 * The next `count` due dates (1..100) of the plan, the pending one first.
 *
 * @since 0.1.0
 * @category steps
 */
export const occurrences = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, count: number) {
    if (!Number.isInteger(count) || count < 1 || count > maxOccurrences)
      return yield* invalid([
        { path: ["query", "count"], message: `must be between 1 and ${maxOccurrences}` }
      ])
    const plan = yield* deps.catalog.get(id)
    const rule = ruleOf(plan, yield* timeZoneOf(deps, plan.orgId))
    // A paused plan shows what resuming now would bring.
    const from = plan.nextDueAt ?? (yield* DateTime.now)
    return Recurrence.upcoming(rule, from, count)
  })

/**
 * The org's active plans with their due dates in `[from, to)`.
 *
 * @since 0.1.0
 * @category steps
 */
export const dueBetween = (deps: Deps) =>
  Effect.fnUntraced(function* (from: DateTime.Utc, to: DateTime.Utc) {
    yield* Permissions.require(access.read)
    const actor = yield* CurrentActor
    const timeZone = yield* timeZoneOf(deps, actor.orgId)
    const active = yield* deps.plans.listActive(actor.orgId, 500)
    return active.flatMap((plan) => {
      // Due dates already opened are interventions now; the plan shows the ones to come.
      const start =
        plan.nextDueAt !== null && DateTime.isGreaterThan(plan.nextDueAt, from) ? plan.nextDueAt : from
      const dueAt = Recurrence.between(ruleOf(plan, timeZone), start, to, 400)
      return dueAt.length === 0 ? [] : [{ plan, dueAt }]
    })
  })
