/**
 * The steps the maintenance plan operations share: the org's time zone, a plan's recurrence
 * rule, its next due date from now, and the check of the equipment and assignee it names.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import type { ResourceId } from "../inventory/Resource.ts"
import type { UnitId } from "../inventory/ResourceUnit.ts"
import { type FieldIssue, ValidationFailed } from "../kernel/Errors.ts"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import { isAtLeast } from "../kernel/Role.ts"
import type { MaintenancePlan } from "./MaintenancePlan.ts"
import type { Deps } from "./PlanDeps.ts"
import * as Recurrence from "./Recurrence.ts"

/**
 * @since 0.1.0
 * @category constructors
 */
export const invalid = (errors: ReadonlyArray<FieldIssue>) => new ValidationFailed({ errors })

/**
 * @since 0.1.0
 * @category steps
 */
export const timeZoneOf = (deps: Deps, orgId: OrgId) =>
  Effect.map(deps.orgs.findById(orgId), (org) =>
    // An org whose zone the runtime does not know is planned in UTC rather than not at all.
    Option.isSome(org) && Recurrence.isTimeZone(org.value.timezone) ? org.value.timezone : "UTC"
  )

/**
 * @since 0.1.0
 * @category rules
 */
export const ruleOf = (plan: Pick<MaintenancePlan, "recurrence" | "startsOn" | "at">, timeZone: string) => ({
  recurrence: plan.recurrence,
  startsOn: plan.startsOn,
  at: plan.at,
  timeZone
})

/**
 * @since 0.1.0
 * @category steps
 */
export const nextFromNow = Effect.fnUntraced(function* (
  deps: Deps,
  orgId: OrgId,
  plan: Pick<MaintenancePlan, "recurrence" | "startsOn" | "at">
) {
  const rule = ruleOf(plan, yield* timeZoneOf(deps, orgId))
  return Recurrence.nextAtOrAfter(rule, yield* DateTime.now)
})

/**
 * The equipment and the assignee, as they will be. A unit alone brings its resource (answered).
 *
 * @since 0.1.0
 * @category steps
 */
export const checkReferences = Effect.fnUntraced(function* (
  deps: Deps,
  orgId: OrgId,
  target: {
    readonly resourceId: ResourceId | null
    readonly unitId: UnitId | null
    readonly defaultAssigneeId: AccountId | null
  }
) {
  const issues: Array<FieldIssue> = []
  let resourceId = target.resourceId
  if (target.unitId !== null) {
    const unit = yield* deps.units.find(orgId, target.unitId)
    if (Option.isNone(unit)) issues.push({ path: ["body", "unitId"], message: "No such unit" })
    else if (resourceId !== null && unit.value.resourceId !== resourceId)
      issues.push({ path: ["body", "unitId"], message: "The unit is not one of the resource's" })
    else resourceId = unit.value.resourceId
  }
  if (target.resourceId !== null && Option.isNone(yield* deps.resources.find(orgId, target.resourceId)))
    issues.push({ path: ["body", "resourceId"], message: "No such resource" })
  if (resourceId === null && issues.length === 0)
    issues.push({ path: ["body", "resourceId"], message: "A plan maintains a resource or a unit" })
  if (target.defaultAssigneeId !== null) {
    const member = yield* deps.memberships.find(orgId, target.defaultAssigneeId)
    if (Option.isNone(member) || !isAtLeast(member.value.role, "technician"))
      issues.push({ path: ["body", "defaultAssigneeId"], message: "Not a technician of this organisation" })
  }
  if (issues.length > 0 || resourceId === null) return yield* invalid(issues)
  return resourceId
})
