/**
 * The checks of the references an intervention names: its assignees are technicians of the org,
 * its client a member, its site, resource and unit the org's, its schedule well formed.
 *
 * @since 0.1.0
 */
import { type DateTime, Effect, Option } from "effect"
import type { ResourceId } from "../inventory/Resource.ts"
import type { UnitId } from "../inventory/ResourceUnit.ts"
import type { SiteId } from "../inventory/Site.ts"
import type { FieldIssue } from "../kernel/Errors.ts"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import { isAtLeast } from "../kernel/Role.ts"
import type { Deps } from "./InterventionDeps.ts"
import * as Rules from "./InterventionRules.ts"
import { invalid } from "./InterventionSteps.ts"

/**
 * The references of an intervention, as a write will leave them.
 *
 * @since 0.1.0
 * @category models
 */
export interface Target {
  readonly clientId: AccountId | null
  readonly siteId: SiteId | null
  readonly resourceId: ResourceId | null
  readonly unitId: UnitId | null
  readonly scheduledStart: DateTime.Utc | null
  readonly scheduledEnd: DateTime.Utc | null
}

/**
 * The issues of assignees who are not technicians of the org, at `field`.
 *
 * @since 0.1.0
 * @category checks
 */
export const assigneeIssues = Effect.fnUntraced(function* (
  deps: Deps,
  orgId: OrgId,
  accountIds: ReadonlyArray<AccountId>,
  field: ReadonlyArray<string>
) {
  const issues: Array<FieldIssue> = []
  for (const [index, accountId] of accountIds.entries()) {
    const member = yield* deps.memberships.find(orgId, accountId)
    if (Option.isNone(member) || !isAtLeast(member.value.role, "technician"))
      issues.push({ path: [...field, index], message: "Not a technician of this organisation" })
  }
  return issues
})

/**
 * The references a write names, as they will be: client, site, equipment and schedule. A unit
 * alone brings its resource (answered); a unit of another resource is refused.
 *
 * @since 0.1.0
 * @category checks
 */
export const checkReferences = Effect.fnUntraced(function* (deps: Deps, orgId: OrgId, target: Target) {
  const issues: Array<FieldIssue> = []
  if (target.clientId !== null && Option.isNone(yield* deps.memberships.find(orgId, target.clientId)))
    issues.push({ path: ["body", "clientId"], message: "Not a member of this organisation" })
  if (target.siteId !== null && Option.isNone(yield* deps.sites.find(orgId, target.siteId)))
    issues.push({ path: ["body", "siteId"], message: "No such site" })
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
  const scheduled = yield* Effect.result(Rules.schedule(target))
  if (scheduled._tag === "Failure") issues.push(...scheduled.failure.errors)
  if (issues.length > 0) return yield* invalid(issues)
  return resourceId
})
