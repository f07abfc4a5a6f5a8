/**
 * Maintenance plans: preventive work that recurs on a resource or one of its units. A plan
 * says when it falls due (see `Recurrence`), how long before each due date its intervention is
 * opened (the lead time), what to check, who does it by default and how long it takes. Each
 * due date opens exactly one `PREVENTIVE` intervention.
 *
 * @since 0.1.0
 */
import { type DateTime, Schema } from "effect"
import { Priority } from "../interventions/Intervention.ts"
import { Description, Name } from "../inventory/Names.ts"
import { ResourceId } from "../inventory/Resource.ts"
import { UnitId } from "../inventory/ResourceUnit.ts"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { LocalDate, LocalTime, Recurrence } from "./Recurrence.ts"

/**
 * The topic a due date's opened intervention is announced on, for its technician and the
 * managers: `{ id, number, title, planId, dueAt, assigneeId }`, `assigneeId` being the plan's
 * default assignee (told even when the intervention could not be staffed with them).
 *
 * @since 0.1.0
 * @category topics
 */
export const dueTopic = "maintenance.due"

/**
 * @since 0.1.0
 * @category ids
 */
export const MaintenancePlanId = Uuid.pipe(Schema.brand("MaintenancePlanId"))
/** @since 0.1.0 @category ids */
export type MaintenancePlanId = typeof MaintenancePlanId.Type

/**
 * `ACTIVE` plans open their interventions; `PAUSED` ones open none until resumed.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PlanStatus = Schema.Literals(["ACTIVE", "PAUSED"])
/** @since 0.1.0 @category models */
export type PlanStatus = typeof PlanStatus.Type

/**
 * What to check or do, in order: at most 50 items of 1..200 characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Checklist = Schema.Array(Schema.String.check(Schema.isBetweenLength(1, 200))).check(
  Schema.isMaxLength(50)
)

/**
 * Days before a due date that its intervention is opened: 0..366.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LeadTimeDays = Schema.Int.check(Schema.isBetween({ minimum: 0, maximum: 366 }))

/**
 * How long the work takes, in minutes: 1 minute to 7 days. It makes the intervention's schedule
 * (from the due date), so its technician's and unit's time is held on the ledger.
 *
 * @since 0.1.0
 * @category schemas
 */
export const EstimatedMinutes = Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 10_080 }))

/**
 * @since 0.1.0
 * @category models
 */
export class MaintenancePlan extends Schema.Class<MaintenancePlan>("@rota/core/MaintenancePlan")({
  id: MaintenancePlanId,
  orgId: OrgId,
  title: Name,
  description: Schema.NullOr(Description),
  resourceId: ResourceId,
  unitId: Schema.NullOr(UnitId),
  recurrence: Recurrence,
  /** The first day the plan may fall due, in the org's time zone. */
  startsOn: LocalDate,
  /** The time of day of interval recurrences, in the org's time zone. */
  at: LocalTime,
  leadTimeDays: LeadTimeDays,
  checklist: Checklist,
  defaultAssigneeId: Schema.NullOr(AccountId),
  estimatedMinutes: Schema.NullOr(EstimatedMinutes),
  priority: Priority,
  status: PlanStatus,
  /** The next due date without its intervention yet; kept by the server. */
  nextDueAt: Schema.NullOr(Schema.DateTimeUtc),
  createdBy: AccountId,
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * The fields a manager sets on a new plan. A unit alone brings its resource; `at` defaults to
 * 09:00, the lead time to 0, the priority to `NORMAL`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PlanFields = Schema.Struct({
  title: Name,
  description: Schema.optionalKey(Schema.NullOr(Description)),
  resourceId: Schema.optionalKey(Schema.NullOr(ResourceId)),
  unitId: Schema.optionalKey(Schema.NullOr(UnitId)),
  recurrence: Recurrence,
  startsOn: LocalDate,
  at: Schema.optionalKey(LocalTime),
  leadTimeDays: Schema.optionalKey(LeadTimeDays),
  checklist: Schema.optionalKey(Checklist),
  defaultAssigneeId: Schema.optionalKey(Schema.NullOr(AccountId)),
  estimatedMinutes: Schema.optionalKey(Schema.NullOr(EstimatedMinutes)),
  priority: Schema.optionalKey(Priority)
})
/** @since 0.1.0 @category models */
export type PlanFields = typeof PlanFields.Type

/**
 * A PATCH: any field of the create body but the equipment (a plan stays on what it maintains).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PlanChanges = Schema.Struct({
  title: Schema.optionalKey(Name),
  description: Schema.optionalKey(Schema.NullOr(Description)),
  recurrence: Schema.optionalKey(Recurrence),
  startsOn: Schema.optionalKey(LocalDate),
  at: Schema.optionalKey(LocalTime),
  leadTimeDays: Schema.optionalKey(LeadTimeDays),
  checklist: Schema.optionalKey(Checklist),
  defaultAssigneeId: Schema.optionalKey(Schema.NullOr(AccountId)),
  estimatedMinutes: Schema.optionalKey(Schema.NullOr(EstimatedMinutes)),
  priority: Schema.optionalKey(Priority)
})
/** @since 0.1.0 @category models */
export type PlanChanges = typeof PlanChanges.Type

/**
 * Listing filters.
 *
 * @since 0.1.0
 * @category models
 */
export interface PlanFilters {
  readonly resourceId?: ResourceId | undefined
  readonly unitId?: UnitId | undefined
  readonly statuses?: ReadonlyArray<PlanStatus> | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type PlanSort = "createdAt" | "title"

/**
 * The intervention a due date opens: the plan's work, due then, scheduled from then for the
 * estimated duration, with the checklist written into its description.
 *
 * @since 0.1.0
 * @category rules
 */
export const interventionOf = (
  plan: MaintenancePlan,
  dueAt: DateTime.Utc
): {
  readonly title: string
  readonly description: string | null
  readonly priority: Priority
  readonly resourceId: ResourceId
  readonly unitId: UnitId | null
  readonly dueAt: DateTime.Utc
  readonly estimatedMinutes: number | null
  readonly assigneeId: AccountId | null
} => {
  const checklist =
    plan.checklist.length === 0
      ? ""
      : `Checklist:\n${plan.checklist.map((item) => `- [ ] ${item}`).join("\n")}`
  const description = [plan.description ?? "", checklist].filter((part) => part !== "").join("\n\n")
  return {
    title: plan.title,
    // The description holds 4,000 characters; a long checklist is cut, the plan keeps it whole.
    description: description === "" ? null : description.slice(0, 4000),
    priority: plan.priority,
    resourceId: plan.resourceId,
    unitId: plan.unitId,
    dueAt,
    estimatedMinutes: plan.estimatedMinutes,
    assigneeId: plan.defaultAssigneeId
  }
}
