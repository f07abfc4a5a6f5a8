/**
 * The `ReportRepo` port on the {@link MemoryDatabase}: the reports summed from the tables the
 * other memory adapters keep (units, resources, bookings, the ledger's blackout allocations,
 * fines, interventions and their timelines, accounts), as the PostgreSQL statements of the
 * reports sum theirs: the same statuses, clipping, soft-deleted rows left out, order of rows and
 * `null` statistics. `ReportRepoContract` holds both adapters to the same rows.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer } from "effect"
import type { Booking } from "../bookings/Booking.ts"
import type { Fine } from "../bookings/Fine.ts"
import type { Intervention } from "../interventions/Intervention.ts"
import type { TimelineEvent } from "../interventions/TimelineEvent.ts"
import type { Resource } from "../inventory/Resource.ts"
import type { ResourceUnit } from "../inventory/ResourceUnit.ts"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import type { Allocation } from "../ledger/Ledger.ts"
import { ReportRepo } from "../reports/ReportRepo.ts"
import type { UtilisationBy } from "../reports/ReportRows.ts"
import type { Window } from "../reports/ReportWindow.ts"
import { MemoryDatabase, rows } from "./MemoryDatabase.ts"
import { accounts } from "./MemoryIdentityTables.ts"
import { clientTotals, resourceTotals, spanOf, statusTotals, unitTotals } from "./MemoryReportTotals.ts"
import { leadTimeTotals, workloadTotals } from "./MemoryWorkTotals.ts"

// The tables the other memory adapters write, each keyed by org and id.
const units = rows<ResourceUnit>("resource_units")
const resources = rows<Resource>("resources")
const bookings = rows<Booking>("bookings")
const allocations = rows<Allocation>("allocations")
const fines = rows<Fine>("fines")
const interventions = rows<Intervention>("interventions")
const events = rows<TimelineEvent>("intervention_events")

const ofOrg = <A extends { readonly orgId: OrgId }>(table: ReadonlyMap<string, A>, orgId: OrgId) =>
  [...table.values()].filter((row) => row.orgId === orgId)

const windowOf = (window: Window) => spanOf(window.from, window.to)

// Fines given in the window: created at or after `from` and before `to`.
const finesIn = (table: ReadonlyMap<string, Fine>, orgId: OrgId, window: Window) => {
  const { start, end } = windowOf(window)
  return ofOrg(table, orgId).filter((fine) => {
    const created = DateTime.toEpochMillis(fine.createdAt)
    return created >= start && created < end
  })
}

// The first `started` event of each of the org's interventions, in epoch milliseconds.
const firstStarts = (table: ReadonlyMap<string, TimelineEvent>, orgId: OrgId) => {
  const starts = new Map<string, number>()
  for (const event of ofOrg(table, orgId)) {
    if (event.type !== "started") continue
    const at = DateTime.toEpochMillis(event.at)
    const before = starts.get(event.interventionId)
    if (before === undefined || at < before) starts.set(event.interventionId, at)
  }
  return starts
}

const reportMethods = (database: MemoryDatabase["Service"]) => {
  const accountOf = Effect.map(database.read(accounts), (table) => (id: AccountId) => table.get(id)?.account)

  const utilisation = Effect.fn("MemoryReportRepo.utilisation")(function* (
    orgId: OrgId,
    window: Window,
    by: UtilisationBy
  ) {
    const resourceRows = yield* database.read(resources)
    const perUnit = unitTotals(
      {
        units: ofOrg(yield* database.read(units), orgId),
        resourceOf: (unit) => resourceRows.get(`${orgId}/${unit.resourceId}`),
        bookings: ofOrg(yield* database.read(bookings), orgId),
        allocations: ofOrg(yield* database.read(allocations), orgId)
      },
      windowOf(window)
    )
    return by === "unit" ? perUnit : resourceTotals(perUnit)
  })

  const finesByClient = Effect.fn("MemoryReportRepo.finesByClient")(function* (
    orgId: OrgId,
    window: Window,
    now: DateTime.Utc
  ) {
    return clientTotals(
      {
        bookings: ofOrg(yield* database.read(bookings), orgId),
        fines: finesIn(yield* database.read(fines), orgId, window),
        accountOf: yield* accountOf
      },
      DateTime.toEpochMillis(now)
    )
  })

  const finesByStatus = Effect.fn("MemoryReportRepo.finesByStatus")(function* (orgId: OrgId, window: Window) {
    return statusTotals(finesIn(yield* database.read(fines), orgId, window))
  })

  const workload = Effect.fn("MemoryReportRepo.workload")(function* (orgId: OrgId, window: Window) {
    return workloadTotals(
      ofOrg(yield* database.read(interventions), orgId),
      windowOf(window),
      yield* accountOf
    )
  })

  const leadTimes = Effect.fn("MemoryReportRepo.leadTimes")(function* (orgId: OrgId, window: Window) {
    const starts = firstStarts(yield* database.read(events), orgId)
    return leadTimeTotals(
      ofOrg(yield* database.read(interventions), orgId),
      windowOf(window),
      (intervention) => starts.get(intervention.id)
    )
  })

  return { utilisation, finesByClient, finesByStatus, workload, leadTimes }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ReportRepo, never, MemoryDatabase> = Layer.effect(
  ReportRepo,
  Effect.map(Effect.service(MemoryDatabase), (database) => ReportRepo.of(reportMethods(database)))
)
