/**
 * The storage port of maintenance plans: versioned records, plus the server's own bookkeeping
 * of due dates (which plans are due, which due dates already opened their intervention).
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect } from "effect"
import type { InterventionId } from "../interventions/Intervention.ts"
import type { OrgId } from "../kernel/Ids.ts"
import type { Records } from "../kernel/Records.ts"
import type { MaintenancePlan, MaintenancePlanId, PlanFilters, PlanSort } from "./MaintenancePlan.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class MaintenancePlanRepo extends Context.Service<
  MaintenancePlanRepo,
  Records<MaintenancePlan, PlanFilters, PlanSort> & {
    /**
     * Active live plans whose next due date, less their lead time, is at or before `now`, each
     * locked for the rest of the transaction; plans another transaction holds are skipped.
     */
    readonly lockDue: (now: DateTime.Utc, limit: number) => Effect.Effect<ReadonlyArray<MaintenancePlan>>
    /** Sets the next due date without changing the plan's version: the server keeps it. */
    readonly setNextDue: (
      orgId: OrgId,
      id: MaintenancePlanId,
      nextDueAt: DateTime.Utc | null
    ) => Effect.Effect<void>
    /**
     * Claims a due date for the intervention about to be opened, in the caller's transaction.
     * False when that plan and due date were claimed already (by another server, or before a
     * restart): then nothing is written. A concurrent claim of the same due date waits for the
     * first to commit or roll back, so exactly one succeeds.
     */
    readonly claimOccurrence: (
      orgId: OrgId,
      planId: MaintenancePlanId,
      dueAt: DateTime.Utc,
      interventionId: InterventionId
    ) => Effect.Effect<boolean>
    /** The org's live active plans, oldest first, at most `limit`. */
    readonly listActive: (orgId: OrgId, limit: number) => Effect.Effect<ReadonlyArray<MaintenancePlan>>
  }
>()("@rota/core/maintenance/MaintenancePlanRepo") {}
