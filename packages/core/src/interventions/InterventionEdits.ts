/**
 * Changing an intervention: editing its fields (a `status` moves it through the state machine),
 * soft-deleting, restoring and (re)assigning it. Each runs in one transaction with its timeline,
 * ledger, audit and change events.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Expected } from "../kernel/Versioning.ts"
import { access } from "./Access.ts"
import type { AssigneeChanges, InterventionChanges } from "./Intervention.ts"
import { assigneeIssues, checkReferences } from "./InterventionChecks.ts"
import type { Deps } from "./InterventionDeps.ts"
import * as Rules from "./InterventionRules.ts"
import {
  announceAssigned,
  append,
  changedFields,
  invalid,
  lockForWrite,
  syncLedger,
  write
} from "./InterventionSteps.ts"

/**
 * @since 0.1.0
 * @category steps
 */
export const update = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected, changes: InterventionChanges) {
    yield* Permissions.require(access.write)
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const { before, version } = yield* lockForWrite(deps, id, expectedVersion)
        const status =
          changes.status === undefined
            ? before.status
            : yield* Rules.transition(before.status, changes.status)
        const { status: _statusIsAMove, ...fields } = changes
        const resourceId = yield* checkReferences(deps, actor.orgId, { ...before, ...fields })
        const completing = status === "COMPLETED" && before.status !== "COMPLETED"
        const after = yield* write(deps, id, version, {
          ...fields,
          ...(resourceId === before.resourceId ? {} : { resourceId }),
          status,
          ...(completing ? { completedAt: yield* DateTime.now, completedBy: actor.accountId } : {})
        })
        yield* syncLedger(deps, before, after)
        const edited = changedFields(before, fields)
        if (edited.length > 0) yield* append(deps, after, "updated", { fields: edited })
        if (status !== before.status)
          yield* append(deps, after, Rules.eventOfStatus[status as Exclude<typeof status, "PENDING">], {
            from: before.status,
            to: status
          })
        yield* deps.catalog.recordChange(status !== before.status ? "STATUS_CHANGE" : "UPDATE", before, after)
        return after
      })
    )
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const remove = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected) {
    yield* Permissions.require(access.write)
    const actor = yield* CurrentActor
    yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const { before, version } = yield* lockForWrite(deps, id, expectedVersion)
        const at = yield* DateTime.now
        const after = yield* deps.interventions.softDelete(actor.orgId, id, version, at)
        yield* deps.ledger.release(actor.orgId, { type: "intervention", id })
        yield* append(deps, after, "deleted")
        yield* deps.catalog.recordChange("SOFT_DELETE", before, after)
      })
    )
  })

/**
 * Claims its assignees' time again, so it fails with `Conflict` if that time was taken.
 *
 * @since 0.1.0
 * @category steps
 */
export const restore = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected) {
    yield* Permissions.require(access.write)
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const { before, version } = yield* lockForWrite(deps, id, expectedVersion, true)
        if (before.deletedAt === null) return before
        const after = yield* deps.interventions
          .restore(actor.orgId, id, version)
          .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
        yield* syncLedger(deps, before, after)
        yield* append(deps, after, "restored")
        yield* deps.catalog.recordChange("RESTORE", before, after)
        return after
      })
    )
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const assign = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected, changes: AssigneeChanges) {
    yield* Permissions.require(access.assign)
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const { before, version } = yield* lockForWrite(deps, id, expectedVersion)
        const add = changes.add ?? []
        const issues = yield* assigneeIssues(deps, actor.orgId, add, ["body", "add"])
        if (issues.length > 0) return yield* invalid(issues)
        const assigneeIds = Rules.applyAssignees(before.assigneeIds, add, changes.remove ?? [])
        const added = assigneeIds.filter((accountId) => !before.assigneeIds.includes(accountId))
        const removed = before.assigneeIds.filter((accountId) => !assigneeIds.includes(accountId))
        if (added.length === 0 && removed.length === 0) return before
        const after = yield* write(deps, id, version, { assigneeIds })
        yield* syncLedger(deps, before, after)
        if (added.length > 0) yield* announceAssigned(deps, after, added)
        if (removed.length > 0) yield* append(deps, after, "unassigned", { accountIds: removed })
        yield* deps.catalog.recordChange("UPDATE", before, after)
        return after
      })
    )
  })
