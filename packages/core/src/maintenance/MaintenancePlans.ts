/**
 * The maintenance plans use case: managers write plans, technicians read them, and the server
 * opens each due date's `PREVENTIVE` intervention (`generateDue`, run by a background job).
 * Every due date is claimed under a unique key (plan, due date) in the same transaction that
 * opens its intervention, so each opens exactly once, whichever server runs the job and however
 * often it restarts. The steps: `PlanWrites`, `PlanReads`, `DueGeneration`, over `PlanSteps`.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, Effect, Layer } from "effect"
import type { MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import type { Interventions } from "../interventions/Interventions.ts"
import type { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type {
  Forbidden,
  NotFound,
  PreconditionFailed,
  PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page } from "../kernel/Pagination.ts"
import type { ListQuery } from "../kernel/Records.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import * as DueGeneration from "./DueGeneration.ts"
import type { MaintenancePlan, PlanChanges, PlanFields, PlanFilters, PlanSort } from "./MaintenancePlan.ts"
import type { MaintenancePlanRepo } from "./MaintenanceRepos.ts"
import * as PlanDeps from "./PlanDeps.ts"
import * as Reads from "./PlanReads.ts"
import * as Writes from "./PlanWrites.ts"

export {
  /** @since 0.1.0 */
  access
} from "./Access.ts"
export {
  /** @since 0.1.0 */
  maxOccurrences
} from "./PlanReads.ts"

type WriteError = Forbidden | NotFound | PreconditionRequired | PreconditionFailed

/**
 * @since 0.1.0
 * @category services
 */
export class MaintenancePlans extends Context.Service<
  MaintenancePlans,
  {
    readonly list: (
      query: ListQuery<PlanFilters, PlanSort>
    ) => Effect.Effect<Page<MaintenancePlan>, Forbidden | ValidationFailed, CurrentActor>
    readonly get: (
      id: string,
      options?: { readonly includeDeleted?: boolean | undefined }
    ) => Effect.Effect<MaintenancePlan, Forbidden | NotFound, CurrentActor>
    /** Checks the equipment and the assignee; the first due date is the first from now. */
    readonly create: (
      fields: PlanFields
    ) => Effect.Effect<MaintenancePlan, Forbidden | ValidationFailed, CurrentActor>
    /** A changed recurrence, first day or time of day counts the next due date again from now. */
    readonly update: (
      id: string,
      expectedVersion: Expected,
      changes: PlanChanges
    ) => Effect.Effect<MaintenancePlan, WriteError | ValidationFailed, CurrentActor>
    readonly remove: (id: string, expectedVersion: Expected) => Effect.Effect<void, WriteError, CurrentActor>
    readonly restore: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<MaintenancePlan, WriteError, CurrentActor>
    /** Stops opening interventions; pausing a paused plan changes nothing. */
    readonly pause: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<MaintenancePlan, WriteError, CurrentActor>
    /** Opens them again from the next due date after now: the dates missed while paused are skipped. */
    readonly resume: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<MaintenancePlan, WriteError, CurrentActor>
    /** The next `count` due dates (1..100) of the plan, the pending one first. */
    readonly occurrences: (
      id: string,
      count: number
    ) => Effect.Effect<ReadonlyArray<DateTime.Utc>, Forbidden | NotFound | ValidationFailed, CurrentActor>
    /** The org's active plans with their due dates in `[from, to)`, for the planning view. */
    readonly dueBetween: (
      from: DateTime.Utc,
      to: DateTime.Utc
    ) => Effect.Effect<
      ReadonlyArray<{ readonly plan: MaintenancePlan; readonly dueAt: ReadonlyArray<DateTime.Utc> }>,
      Forbidden,
      CurrentActor
    >
    /**
     * The server's work: opens the intervention of every due date whose lead time has come,
     * across all orgs; answers how many were opened.
     */
    readonly generateDue: Effect.Effect<number>
  }
>()("@rota/core/maintenance/MaintenancePlans") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  MaintenancePlans,
  never,
  | MaintenancePlanRepo
  | Interventions
  | OrgRepo
  | MembershipRepo
  | ResourceRepo
  | UnitRepo
  | Transactor
  | AuditLog
  | Outbox.Outbox
  | Ids
> = Layer.effect(
  MaintenancePlans,
  Effect.gen(function* () {
    const deps = yield* PlanDeps.make
    return MaintenancePlans.of({
      list: Effect.fn("MaintenancePlans.list")(deps.catalog.list),
      get: Effect.fn("MaintenancePlans.get")(deps.catalog.get),
      create: Effect.fn("MaintenancePlans.create")(Writes.create(deps)),
      update: Effect.fn("MaintenancePlans.update")(Writes.update(deps)),
      remove: Effect.fn("MaintenancePlans.remove")(deps.catalog.remove),
      restore: Effect.fn("MaintenancePlans.restore")(Writes.restore(deps)),
      pause: Effect.fn("MaintenancePlans.pause")(Writes.setStatus(deps, "PAUSED")),
      resume: Effect.fn("MaintenancePlans.resume")(Writes.setStatus(deps, "ACTIVE")),
      occurrences: Effect.fn("MaintenancePlans.occurrences")(Reads.occurrences(deps)),
      dueBetween: Effect.fn("MaintenancePlans.dueBetween")(Reads.dueBetween(deps)),
      generateDue: DueGeneration.generateDue(deps)
    })
  })
)
