/**
 * Writing maintenance plans: creating, editing (a new timing counts the next due date again from
 * now), pausing, resuming and restoring them.
 *
 * @since 0.1.0
 */
import { Effect } from "effect"
import { nextId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Expected } from "../kernel/Versioning.ts"
import { access } from "./Access.ts"
import { MaintenancePlan, MaintenancePlanId, type PlanChanges, type PlanFields } from "./MaintenancePlan.ts"
import type { Deps } from "./PlanDeps.ts"
import { checkReferences, nextFromNow } from "./PlanSteps.ts"

/**
 * Checks the equipment and the assignee; the first due date is the first from now.
 *
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) =>
  Effect.fnUntraced(function* (fields: PlanFields) {
    const actor = yield* CurrentActor
    return yield* deps.catalog
      .create(({ orgId, at }) =>
        Effect.gen(function* () {
          const target = {
            resourceId: fields.resourceId ?? null,
            unitId: fields.unitId ?? null,
            defaultAssigneeId: fields.defaultAssigneeId ?? null
          }
          const resourceId = yield* checkReferences(deps, orgId, target)
          const timing = {
            recurrence: fields.recurrence,
            startsOn: fields.startsOn,
            at: fields.at ?? "09:00"
          }
          return new MaintenancePlan({
            ...target,
            ...timing,
            id: yield* nextId(MaintenancePlanId),
            orgId,
            title: fields.title,
            description: fields.description ?? null,
            resourceId,
            leadTimeDays: fields.leadTimeDays ?? 0,
            checklist: fields.checklist ?? [],
            estimatedMinutes: fields.estimatedMinutes ?? null,
            priority: fields.priority ?? "NORMAL",
            status: "ACTIVE",
            nextDueAt: yield* nextFromNow(deps, orgId, timing),
            createdBy: actor.accountId,
            version: 1,
            createdAt: at,
            deletedAt: null
          })
        }).pipe(Effect.provide(deps.ids))
      )
      // Plans have no unique fields.
      .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
  })

/**
 * A changed recurrence, first day or time of day counts the next due date again from now.
 *
 * @since 0.1.0
 * @category steps
 */
export const update = (deps: Deps) => (id: string, expectedVersion: Expected, changes: PlanChanges) =>
  deps.catalog
    .update(id, expectedVersion, (before) =>
      Effect.gen(function* () {
        if (changes.defaultAssigneeId !== undefined && changes.defaultAssigneeId !== null)
          yield* checkReferences(deps, before.orgId, {
            ...before,
            defaultAssigneeId: changes.defaultAssigneeId
          })
        const timing = {
          recurrence: changes.recurrence ?? before.recurrence,
          startsOn: changes.startsOn ?? before.startsOn,
          at: changes.at ?? before.at
        }
        const retimed =
          changes.recurrence !== undefined || changes.startsOn !== undefined || changes.at !== undefined
        return retimed && before.status === "ACTIVE"
          ? { ...changes, nextDueAt: yield* nextFromNow(deps, before.orgId, timing) }
          : changes
      })
    )
    .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))

/**
 * Pauses (no next due date) or resumes (from the next due date after now); a plan already in
 * that status changes nothing, not even its version.
 *
 * @since 0.1.0
 * @category steps
 */
export const setStatus = (deps: Deps, status: MaintenancePlan["status"]) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected) {
    yield* Permissions.require(access.write)
    const current = yield* deps.catalog.get(id)
    if (current.status === status) return current
    return yield* deps.catalog
      .update(id, expectedVersion, (before) =>
        Effect.gen(function* () {
          if (before.status === status) return {}
          return status === "PAUSED"
            ? { status, nextDueAt: null }
            : { status, nextDueAt: yield* nextFromNow(deps, before.orgId, before) }
        })
      )
      .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
  })

/**
 * Back from deletion, a plan goes on from now, not from where it stood when deleted.
 *
 * @since 0.1.0
 * @category steps
 */
export const restore = (deps: Deps) => (id: string, expectedVersion: Expected) =>
  deps.transactor.withTransaction(
    Effect.gen(function* () {
      const restored = yield* deps.catalog
        .restore(id, expectedVersion)
        .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
      if (restored.status !== "ACTIVE") return restored
      const nextDueAt = yield* nextFromNow(deps, restored.orgId, restored)
      yield* deps.plans.setNextDue(restored.orgId, restored.id, nextDueAt)
      return new MaintenancePlan({ ...restored, nextDueAt })
    })
  )
