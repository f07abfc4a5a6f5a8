/**
 * Opening an intervention, by a person or by the system (a maintenance plan): numbered, its
 * references and assignees checked, its time claimed, its timeline, audit and change events
 * written, in the caller's transaction.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import * as Audit from "../kernel/Audit.ts"
import type { AlreadyExists } from "../kernel/Errors.ts"
import { type AccountId, nextId, type OrgId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { access } from "./Access.ts"
import { Intervention, type InterventionFields, InterventionId } from "./Intervention.ts"
import { assigneeIssues, checkReferences } from "./InterventionChecks.ts"
import type { Deps } from "./InterventionDeps.ts"
import * as Rules from "./InterventionRules.ts"
import { announceAssigned, append, invalid, syncLedger } from "./InterventionSteps.ts"

// The new row: what the fields give, defaults for the rest.
const draftOf = (fields: InterventionFields) => ({
  clientId: fields.clientId ?? null,
  siteId: fields.siteId ?? null,
  resourceId: fields.resourceId ?? null,
  unitId: fields.unitId ?? null,
  scheduledStart: fields.scheduledStart ?? null,
  scheduledEnd: fields.scheduledEnd ?? null
})

/**
 * Opens an intervention in the org, in the caller's transaction. `actorId` null is the system
 * acting (a maintenance plan).
 *
 * @since 0.1.0
 * @category steps
 */
export const open = (
  deps: Deps,
  origin: { readonly orgId: OrgId; readonly actorId: AccountId | null; readonly id?: InterventionId },
  fields: InterventionFields
) =>
  Effect.gen(function* () {
    const { orgId } = origin
    const assigneeIds = [...new Set(fields.assigneeIds ?? [])]
    const draft = draftOf(fields)
    const resourceId = yield* checkReferences(deps, orgId, draft)
    const issues = yield* assigneeIssues(deps, orgId, assigneeIds, ["body", "assigneeIds"])
    if (issues.length > 0) return yield* invalid(issues)
    const intervention = new Intervention({
      ...draft,
      id: origin.id ?? (yield* nextId(InterventionId)),
      orgId,
      number: Rules.formatNumber(yield* deps.interventions.nextNumber(orgId)),
      title: fields.title,
      description: fields.description ?? null,
      kind: fields.kind ?? "CORRECTIVE",
      priority: fields.priority ?? "NORMAL",
      status: "PENDING",
      resourceId,
      subject: fields.subject ?? null,
      assigneeIds,
      dueAt: fields.dueAt ?? null,
      completedAt: null,
      completedBy: null,
      partsCost: null,
      version: 1,
      createdAt: yield* DateTime.now,
      deletedAt: null
    })
    const inserted = yield* deps.interventions
      .insert(intervention)
      .pipe(Effect.catchTag("AlreadyExists", (error: AlreadyExists) => Effect.die(error)))
    yield* syncLedger(deps, null, inserted)
    yield* append(deps, inserted, "created", { number: inserted.number })
    if (assigneeIds.length > 0) yield* announceAssigned(deps, inserted, assigneeIds)
    yield* Audit.recordAs(
      { orgId, actorId: origin.actorId },
      { entityType: "intervention", entityId: inserted.id, action: "CREATE", before: null, after: inserted }
    )
    yield* Outbox.send({
      orgId,
      topic: "intervention.created",
      payload: { id: inserted.id, version: inserted.version }
    })
    return inserted
  }).pipe(Effect.provide(deps.services))

/**
 * Whoever opens an intervention may staff it; changing its assignees later is a manager's.
 *
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) =>
  Effect.fnUntraced(function* (fields: InterventionFields) {
    yield* Permissions.require(access.write)
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(
      open(deps, { orgId: actor.orgId, actorId: actor.accountId }, fields)
    )
  })

/**
 * A savepoint: a refused attempt leaves the caller's transaction as it was, so the caller may try
 * again another way (unassigned, unscheduled) with the same id.
 *
 * @since 0.1.0
 * @category steps
 */
export const openAsSystem = (deps: Deps) => (orgId: OrgId, id: InterventionId, fields: InterventionFields) =>
  deps.transactor.savepoint(open(deps, { orgId, actorId: null, id }, fields))
