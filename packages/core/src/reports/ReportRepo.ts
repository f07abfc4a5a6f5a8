/**
 * The port the reports read through. An adapter aggregates in the store (one row per group,
 * never every booking or intervention in the process) and answers durations in seconds; the
 * `Reports` use case turns them into hours and ratios.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect } from "effect"
import type { OrgId } from "../kernel/Ids.ts"
import type { ClientFinesRow, StatusFinesRow, UtilisationBy, WorkloadRow } from "./ReportRows.ts"
import type { Window } from "./ReportWindow.ts"

/**
 * A unit's (or a resource's) booked and closed time inside the window, in seconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface UtilisationTotals {
  readonly resourceId: string
  readonly resourceName: string
  readonly unitId: string | null
  readonly unitBarcode: string | null
  readonly units: number
  readonly bookings: number
  readonly bookedSeconds: number
  readonly blackoutSeconds: number
}

/**
 * A client's fines row with the overdue time in seconds.
 *
 * @since 0.1.0
 * @category models
 */
export type ClientFinesTotals = Omit<ClientFinesRow, "overdueHours"> & { readonly overdueSeconds: number }

/**
 * A lead-time group with its statistics in seconds (`null` when nothing was measured).
 *
 * @since 0.1.0
 * @category models
 */
export interface LeadTimeTotals {
  readonly priority: "LOW" | "NORMAL" | "HIGH" | "URGENT"
  readonly kind: "CORRECTIVE" | "PREVENTIVE"
  readonly requested: number
  readonly started: number
  readonly startMean: number | null
  readonly startP50: number | null
  readonly startP90: number | null
  readonly completed: number
  readonly completionMean: number | null
  readonly completionP50: number | null
  readonly completionP90: number | null
}

/**
 * @since 0.1.0
 * @category services
 */
export class ReportRepo extends Context.Service<
  ReportRepo,
  {
    /** Live units of live resources, by unit or summed by resource. */
    readonly utilisation: (
      orgId: OrgId,
      window: Window,
      by: UtilisationBy
    ) => Effect.Effect<ReadonlyArray<UtilisationTotals>>
    /** Overdue bookings as of `now`, and fines created in the window, by client and currency. */
    readonly finesByClient: (
      orgId: OrgId,
      window: Window,
      now: DateTime.Utc
    ) => Effect.Effect<ReadonlyArray<ClientFinesTotals>>
    readonly finesByStatus: (orgId: OrgId, window: Window) => Effect.Effect<ReadonlyArray<StatusFinesRow>>
    readonly workload: (orgId: OrgId, window: Window) => Effect.Effect<ReadonlyArray<WorkloadRow>>
    readonly leadTimes: (orgId: OrgId, window: Window) => Effect.Effect<ReadonlyArray<LeadTimeTotals>>
  }
>()("@rota/core/reports/ReportRepo") {}
