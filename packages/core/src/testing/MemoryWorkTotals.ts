/**
 * The sums of the intervention reports (workload, lead times) over rows held in memory, as pure
 * functions: what the PostgreSQL statements group and order, with the core's `ReportMath` for
 * the means and percentiles. `MemoryReportRepo` reads the tables and hands their rows here.
 *
 * @since 0.1.0
 */
import { DateTime } from "effect"
import type { Account } from "../identity/Account.ts"
import type { Intervention } from "../interventions/Intervention.ts"
import type { AccountId } from "../kernel/Ids.ts"
import { mean, percentile, type Span } from "../reports/ReportMath.ts"
import type { LeadTimeTotals } from "../reports/ReportRepo.ts"
import type { WorkloadRow } from "../reports/ReportRows.ts"
import { compare } from "./MemoryReportTotals.ts"

const millis = (at: DateTime.Utc): number => DateTime.toEpochMillis(at)

const openStatuses: ReadonlySet<Intervention["status"]> = new Set(["PENDING", "IN_PROGRESS", "WAITING_PARTS"])

const within = (at: number, window: Span) => at >= window.start && at < window.end

/**
 * Whether the intervention is live and was requested (created) in the window.
 *
 * @since 0.1.0
 * @category totals
 */
export const requestedIn = (intervention: Intervention, window: Span): boolean =>
  intervention.deletedAt === null && within(millis(intervention.createdAt), window)

/**
 * Whether the intervention is live, COMPLETED, and was completed in the window.
 *
 * @since 0.1.0
 * @category totals
 */
export const completedIn = (intervention: Intervention, window: Span): boolean =>
  intervention.deletedAt === null &&
  intervention.status === "COMPLETED" &&
  intervention.completedAt !== null &&
  within(millis(intervention.completedAt), window)

/**
 * Per technician: live interventions requested in the window and assigned to them, those still
 * open, and those completed in the window, credited to each assignee or, when nobody was
 * assigned, to whoever completed it (nobody, when that is unknown). Ordered by username
 * (case-insensitively), then account; people without an account are left out.
 *
 * @since 0.1.0
 * @category totals
 */
export const workloadTotals = (
  interventions: ReadonlyArray<Intervention>,
  window: Span,
  accountOf: (id: AccountId) => Account | undefined
): Array<WorkloadRow> => {
  const counts = new Map<AccountId, { assigned: number; open: number; completed: number }>()
  const count = (id: AccountId, add: { assigned: number; open: number; completed: number }) => {
    const before = counts.get(id) ?? { assigned: 0, open: 0, completed: 0 }
    counts.set(id, {
      assigned: before.assigned + add.assigned,
      open: before.open + add.open,
      completed: before.completed + add.completed
    })
  }
  for (const intervention of interventions) {
    if (requestedIn(intervention, window)) {
      const open = openStatuses.has(intervention.status) ? 1 : 0
      for (const id of intervention.assigneeIds) count(id, { assigned: 1, open, completed: 0 })
    }
    if (completedIn(intervention, window)) {
      const credited =
        intervention.assigneeIds.length > 0 ? intervention.assigneeIds : [intervention.completedBy]
      for (const id of credited) if (id !== null) count(id, { assigned: 0, open: 0, completed: 1 })
    }
  }
  return [...counts]
    .flatMap(([accountId, counted]): Array<WorkloadRow> => {
      const account = accountOf(accountId)
      return account === undefined
        ? []
        : [{ accountId, username: account.username, fullName: account.fullName, ...counted }]
    })
    .sort(
      (a, b) =>
        compare(a.username.toLowerCase(), b.username.toLowerCase()) || compare(a.accountId, b.accountId)
    )
}

const priorityRank: Readonly<Record<Intervention["priority"], number>> = {
  URGENT: 1,
  HIGH: 2,
  NORMAL: 3,
  LOW: 4
}

// Mean, median and 90th percentile of the measured seconds; all `null` when none was measured.
const statistics = (seconds: ReadonlyArray<number>) => ({
  count: seconds.length,
  mean: mean(seconds),
  p50: percentile(seconds, 0.5),
  p90: percentile(seconds, 0.9)
})

/**
 * Lead times of the live interventions requested in the window, by priority and kind (most
 * pressing first): seconds from the request to its first `started` event, and to completion for
 * completed ones. `startOf` answers the first start's epoch milliseconds, if any.
 *
 * @since 0.1.0
 * @category totals
 */
export const leadTimeTotals = (
  interventions: ReadonlyArray<Intervention>,
  window: Span,
  startOf: (intervention: Intervention) => number | undefined
): Array<LeadTimeTotals> => {
  const groups = new Map<
    string,
    { readonly first: Intervention; requested: number; toStart: Array<number>; toComplete: Array<number> }
  >()
  for (const intervention of interventions) {
    if (!requestedIn(intervention, window)) continue
    const key = `${intervention.priority}/${intervention.kind}`
    const group = groups.get(key) ?? { first: intervention, requested: 0, toStart: [], toComplete: [] }
    group.requested += 1
    const created = millis(intervention.createdAt)
    const started = startOf(intervention)
    if (started !== undefined) group.toStart.push((started - created) / 1000)
    if (intervention.status === "COMPLETED" && intervention.completedAt !== null)
      group.toComplete.push((millis(intervention.completedAt) - created) / 1000)
    groups.set(key, group)
  }
  return [...groups.values()]
    .map(({ first, requested, toStart, toComplete }): LeadTimeTotals => {
      const start = statistics(toStart)
      const completion = statistics(toComplete)
      return {
        priority: first.priority,
        kind: first.kind,
        requested,
        started: start.count,
        startMean: start.mean,
        startP50: start.p50,
        startP90: start.p90,
        completed: completion.count,
        completionMean: completion.mean,
        completionP50: completion.p50,
        completionP90: completion.p90
      }
    })
    .sort((a, b) => priorityRank[a.priority] - priorityRank[b.priority] || compare(a.kind, b.kind))
}
