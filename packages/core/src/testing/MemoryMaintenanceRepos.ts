/**
 * The `MaintenancePlanRepo` port on the {@link MemoryDatabase}: plans on {@link MemoryRecords},
 * the sweep's due plans, and due dates claimed once per plan. Memory transactions run one at a
 * time, which stands for the row locks and the insert conflict PostgreSQL relies on. The same
 * `MaintenancePlanRepoContract` holds both adapters to it.
 *
 * @since 0.1.0
 */
import { type DateTime, Duration, Effect, Layer } from "effect"
import type { InterventionId } from "../interventions/Intervention.ts"
import type { OrgId } from "../kernel/Ids.ts"
import {
  MaintenancePlan,
  type MaintenancePlanId,
  type PlanFilters,
  type PlanSort
} from "../maintenance/MaintenancePlan.ts"
import { MaintenancePlanRepo } from "../maintenance/MaintenanceRepos.ts"
import { MemoryDatabase, put, rows } from "./MemoryDatabase.ts"
import * as MemoryRecords from "./MemoryRecords.ts"

const { millis } = MemoryRecords

const plans = MemoryRecords.tableOf<MaintenancePlan>("maintenance_plans")
// Claimed due dates, by `org/plan/due date`, naming their intervention.
const occurrences = rows<InterventionId>("maintenance_occurrences")

const inList = <A>(values: ReadonlyArray<A> | undefined, value: A) =>
  values === undefined || values.length === 0 || values.includes(value)

// The records' options, named apart from the layer: they are options, not service methods.
const options: MemoryRecords.Options<MaintenancePlan, PlanFilters, PlanSort> = {
  table: "maintenance_plans",
  entity: "maintenance_plan",
  make: (fields) => new MaintenancePlan(fields),
  filters: (plan, filters) =>
    (filters.resourceId === undefined || plan.resourceId === filters.resourceId) &&
    (filters.unitId === undefined || plan.unitId === filters.unitId) &&
    inList(filters.statuses, plan.status),
  sorts: { createdAt: (plan) => millis(plan.createdAt), title: (plan) => plan.title },
  defaultSort: { field: "createdAt", direction: "asc" }
}

const day = Duration.toMillis(Duration.days(1))

// Due at `now`: active, live, due within a year, and within its lead time.
const isDue = (plan: MaintenancePlan, now: number) =>
  plan.status === "ACTIVE" &&
  plan.deletedAt === null &&
  plan.nextDueAt !== null &&
  millis(plan.nextDueAt) <= now + 366 * day &&
  millis(plan.nextDueAt) - plan.leadTimeDays * day <= now

const sweeps = (database: MemoryDatabase["Service"]) => {
  const all = Effect.map(database.read(plans), (table) => [...table.values()])

  const lockDue = Effect.fn("MemoryMaintenancePlanRepo.lockDue")(function* (
    now: DateTime.Utc,
    limit: number
  ) {
    return (yield* all)
      .filter((plan) => isDue(plan, millis(now)))
      .sort((a, b) => millis(a.nextDueAt!) - millis(b.nextDueAt!))
      .slice(0, limit)
  })

  const setNextDue = Effect.fn("MemoryMaintenancePlanRepo.setNextDue")(function* (
    orgId: OrgId,
    id: MaintenancePlanId,
    nextDueAt: DateTime.Utc | null
  ) {
    yield* database.modify(plans, (table) => {
      const plan = table.get(`${orgId}/${id}`)
      return [
        undefined,
        plan === undefined ? table : put(table, `${orgId}/${id}`, new MaintenancePlan({ ...plan, nextDueAt }))
      ]
    })
  })

  const claimOccurrence = Effect.fn("MemoryMaintenancePlanRepo.claimOccurrence")(function* (
    orgId: OrgId,
    planId: MaintenancePlanId,
    dueAt: DateTime.Utc,
    interventionId: InterventionId
  ) {
    const key = `${orgId}/${planId}/${millis(dueAt)}`
    return yield* database.modify(occurrences, (table) =>
      table.has(key) ? [false, table] : [true, put(table, key, interventionId)]
    )
  })

  const listActive = Effect.fn("MemoryMaintenancePlanRepo.listActive")(function* (
    orgId: OrgId,
    limit: number
  ) {
    return (yield* all)
      .filter((plan) => plan.orgId === orgId && plan.status === "ACTIVE" && plan.deletedAt === null)
      .sort((a, b) => millis(a.createdAt) - millis(b.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit)
  })

  return { lockDue, setNextDue, claimOccurrence, listActive }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<MaintenancePlanRepo, never, MemoryDatabase> = Layer.effect(
  MaintenancePlanRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const records = yield* MemoryRecords.make(options)
    return MaintenancePlanRepo.of({ ...records, ...sweeps(database) })
  })
)
