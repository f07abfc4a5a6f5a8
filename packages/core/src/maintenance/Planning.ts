/**
 * The planning view: over a window of at most 92 days, what holds each technician's and each
 * unit's time (interventions, bookings, approved leave, crew assignments, held waitlist offers,
 * all read from the ledger) and when maintenance plans fall due next.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Duration, Effect, Layer } from "effect"
import type { UnitId } from "../inventory/ResourceUnit.ts"
import { type Forbidden, ValidationFailed } from "../kernel/Errors.ts"
import type { AccountId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import * as Timestamp from "../kernel/Timestamp.ts"
import { Ledger } from "../ledger/Ledger.ts"
import { MaintenancePlans } from "./MaintenancePlans.ts"
import { type Entry, maxWindowDays, type PlanningView } from "./PlanningView.ts"

// Past this many allocations in one window the view is cut; the response says so.
const maxAllocations = 5000

/**
 * @since 0.1.0
 * @category services
 */
export class Planning extends Context.Service<
  Planning,
  {
    /** `from` defaults to now, `to` to 14 days after `from`. */
    readonly view: (window: {
      readonly from?: DateTime.Utc | undefined
      readonly to?: DateTime.Utc | undefined
    }) => Effect.Effect<PlanningView, Forbidden | ValidationFailed, CurrentActor>
  }
>()("@rota/core/maintenance/Planning") {}

const byStart = (a: Entry, b: Entry) => DateTime.toEpochMillis(a.startAt) - DateTime.toEpochMillis(b.startAt)

const rows = <K extends string>(entries: Map<K, Array<Entry>>) =>
  [...entries.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([id, list]) => [id, list.sort(byStart)] as const)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Planning, never, Ledger | MaintenancePlans> = Layer.effect(
  Planning,
  Effect.gen(function* () {
    const ledger = yield* Ledger
    const plans = yield* MaintenancePlans
    return Planning.of({
      view: Effect.fn("Planning.view")(function* (window) {
        yield* Permissions.require("schedule.read")
        const from = window.from ?? (yield* DateTime.now)
        const to = window.to ?? Timestamp.clamp(DateTime.addDuration(from, Duration.days(14)))
        const span = DateTime.toEpochMillis(to) - DateTime.toEpochMillis(from)
        if (span <= 0)
          return yield* new ValidationFailed({
            errors: [{ path: ["query", "to"], message: "must be after from" }]
          })
        if (span > Duration.toMillis(Duration.days(maxWindowDays)))
          return yield* new ValidationFailed({
            errors: [{ path: ["query", "to"], message: `The window is at most ${maxWindowDays} days` }]
          })
        const actor = yield* CurrentActor
        const allocations = yield* ledger.activeIn(
          actor.orgId,
          { startAt: from, endAt: to },
          maxAllocations + 1
        )
        const truncated = allocations.length > maxAllocations
        const people = new Map<AccountId, Array<Entry>>()
        const units = new Map<UnitId, Array<Entry>>()
        const add = <K extends string>(map: Map<K, Array<Entry>>, key: K, entry: Entry) => {
          const list = map.get(key)
          if (list === undefined) map.set(key, [entry])
          else list.push(entry)
        }
        for (const allocation of allocations.slice(0, maxAllocations)) {
          const entry: Entry = {
            type: allocation.source.type,
            id: allocation.source.id,
            startAt: allocation.interval.startAt,
            endAt: allocation.interval.endAt
          }
          if (allocation.subject.type === "person") add(people, allocation.subject.id as AccountId, entry)
          else add(units, allocation.subject.id as UnitId, entry)
        }
        const due = yield* plans.dueBetween(from, to)
        for (const { plan, dueAt } of due) {
          for (const at of dueAt) {
            const entry: Entry = {
              type: "maintenance_due",
              id: plan.id,
              startAt: at,
              endAt:
                plan.estimatedMinutes === null
                  ? null
                  : DateTime.addDuration(at, Duration.minutes(plan.estimatedMinutes))
            }
            if (plan.defaultAssigneeId !== null) add(people, plan.defaultAssigneeId, entry)
            if (plan.unitId !== null) add(units, plan.unitId, entry)
          }
        }
        return {
          from,
          to,
          technicians: rows(people).map(([accountId, entries]) => ({ accountId, entries })),
          units: rows(units).map(([unitId, entries]) => ({ unitId, entries })),
          maintenance: due.map(({ plan, dueAt }) => ({
            planId: plan.id,
            title: plan.title,
            unitId: plan.unitId,
            defaultAssigneeId: plan.defaultAssigneeId,
            dueAt
          })),
          truncated
        }
      })
    })
  })
)
