/**
 * The reports use case: read-only aggregates of an organisation's bookings, fines and
 * interventions over a window. Managers and up read them (`schedule.read`, the permission of the
 * org-wide planning view): they show every member's bookings, fines and work.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer } from "effect"
import type { Forbidden, ValidationFailed } from "../kernel/Errors.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { hours, ratio } from "./ReportMath.ts"
import { type LeadTimeTotals, ReportRepo, type UtilisationTotals } from "./ReportRepo.ts"
import type {
  FinesBy,
  LeadTimeRow,
  LeadTimes,
  OverdueFines,
  Utilisation,
  UtilisationBy,
  UtilisationRow,
  Workload
} from "./ReportRows.ts"
import * as ReportWindow from "./ReportWindow.ts"

/**
 * The permission every report needs.
 *
 * @since 0.1.0
 * @category constants
 */
export const permission: Permissions.Permission = "schedule.read"

/**
 * What a caller asks: a window (both ends optional) and, for some reports, a grouping.
 *
 * @since 0.1.0
 * @category models
 */
export interface Asked<By> {
  readonly from?: DateTime.Utc | undefined
  readonly to?: DateTime.Utc | undefined
  readonly by?: By | undefined
}

type Failure = Forbidden | ValidationFailed

/**
 * A unit's or resource's hours: available is the window for each unit less its blackouts.
 *
 * @since 0.1.0
 * @category rules
 */
export const utilisationRow = (totals: UtilisationTotals, windowSeconds: number): UtilisationRow => {
  const available = Math.max(0, totals.units * windowSeconds - totals.blackoutSeconds)
  return {
    resourceId: totals.resourceId,
    resourceName: totals.resourceName,
    unitId: totals.unitId,
    unitBarcode: totals.unitBarcode,
    units: totals.units,
    bookings: totals.bookings,
    bookedHours: hours(totals.bookedSeconds),
    blackoutHours: hours(totals.blackoutSeconds),
    availableHours: hours(available),
    ratio: ratio(totals.bookedSeconds, available)
  }
}

const hoursOrNull = (seconds: number | null) => (seconds === null ? null : hours(seconds))

/**
 * A lead-time group in hours.
 *
 * @since 0.1.0
 * @category rules
 */
export const leadTimeRow = (totals: LeadTimeTotals): LeadTimeRow => ({
  priority: totals.priority,
  kind: totals.kind,
  requested: totals.requested,
  started: totals.started,
  startMeanHours: hoursOrNull(totals.startMean),
  startP50Hours: hoursOrNull(totals.startP50),
  startP90Hours: hoursOrNull(totals.startP90),
  completed: totals.completed,
  completionMeanHours: hoursOrNull(totals.completionMean),
  completionP50Hours: hoursOrNull(totals.completionP50),
  completionP90Hours: hoursOrNull(totals.completionP90)
})

/**
 * @since 0.1.0
 * @category services
 */
export class Reports extends Context.Service<
  Reports,
  {
    readonly utilisation: (asked: Asked<UtilisationBy>) => Effect.Effect<Utilisation, Failure, CurrentActor>
    readonly overdueFines: (asked: Asked<FinesBy>) => Effect.Effect<OverdueFines, Failure, CurrentActor>
    readonly workload: (asked: Asked<never>) => Effect.Effect<Workload, Failure, CurrentActor>
    readonly leadTimes: (asked: Asked<never>) => Effect.Effect<LeadTimes, Failure, CurrentActor>
  }
>()("@rota/core/reports/Reports") {}

// The permission first (a refused caller learns nothing, not even that the window is wrong).
const prepare = Effect.fnUntraced(function* <By>(asked: Asked<By>) {
  yield* Permissions.require(permission)
  const actor = yield* CurrentActor
  const window = yield* ReportWindow.resolve(asked)
  return { orgId: actor.orgId, window }
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Reports, never, ReportRepo> = Layer.effect(
  Reports,
  Effect.gen(function* () {
    const repo = yield* ReportRepo
    return Reports.of({
      utilisation: Effect.fn("Reports.utilisation")(function* (asked) {
        const { orgId, window } = yield* prepare(asked)
        const by = asked.by ?? "resource"
        const seconds = (DateTime.toEpochMillis(window.to) - DateTime.toEpochMillis(window.from)) / 1000
        const totals = yield* repo.utilisation(orgId, window, by)
        return { ...window, by, items: totals.map((row) => utilisationRow(row, seconds)) }
      }),
      overdueFines: Effect.fn("Reports.overdueFines")(function* (asked) {
        const { orgId, window } = yield* prepare(asked)
        if (asked.by === "status") {
          return { ...window, by: "status" as const, items: yield* repo.finesByStatus(orgId, window) }
        }
        const totals = yield* repo.finesByClient(orgId, window, yield* DateTime.now)
        const items = totals.map(({ overdueSeconds, ...row }) => ({
          ...row,
          overdueHours: hours(overdueSeconds)
        }))
        return { ...window, by: "client" as const, items }
      }),
      workload: Effect.fn("Reports.workload")(function* (asked) {
        const { orgId, window } = yield* prepare(asked)
        return { ...window, by: "technician" as const, items: yield* repo.workload(orgId, window) }
      }),
      leadTimes: Effect.fn("Reports.leadTimes")(function* (asked) {
        const { orgId, window } = yield* prepare(asked)
        const totals = yield* repo.leadTimes(orgId, window)
        return { ...window, by: "priority_kind" as const, items: totals.map(leadTimeRow) }
      })
    })
  })
)
