/**
 * The steps every intervention write shares: who sees which intervention, locking a row at the
 * expected version, writing it, keeping the assignees' time on the ledger in step and appending
 * to the timeline.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import * as Audit from "../kernel/Audit.ts"
import { type AlreadyExists, type FieldIssue, NotFound, ValidationFailed } from "../kernel/Errors.ts"
import { type AccountId, nextId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { check, demand, type Expected } from "../kernel/Versioning.ts"
import { access } from "./Access.ts"
import type { Intervention, InterventionChanges } from "./Intervention.ts"
import type { Deps } from "./InterventionDeps.ts"
import * as Rules from "./InterventionRules.ts"
import { type EventType, TimelineEvent, TimelineEventId } from "./TimelineEvent.ts"

/**
 * @since 0.1.0
 * @category constructors
 */
export const invalid = (errors: ReadonlyArray<FieldIssue>) => new ValidationFailed({ errors })

/**
 * The fields an edit reports in its `updated` event: those whose value changed.
 *
 * @since 0.1.0
 * @category rules
 */
export const changedFields = (before: Intervention, changes: InterventionChanges): ReadonlyArray<string> =>
  Object.entries(changes)
    .filter(([name, value]) => {
      if (name === "status" || value === undefined) return false
      const previous: unknown = before[name as keyof Intervention]
      return DateTime.isDateTime(value) && DateTime.isDateTime(previous)
        ? !DateTime.Equivalence(value, previous)
        : value !== previous
    })
    .map(([name]) => name)

/**
 * @since 0.1.0
 * @category steps
 */
export const seesAll = Effect.map(Effect.service(CurrentActor), (actor) =>
  Permissions.allows(actor, access.readAll)
)

/**
 * Someone else's ticket is, to a member, an intervention that does not exist.
 *
 * @since 0.1.0
 * @category steps
 */
export const visible = Effect.fnUntraced(function* (intervention: Intervention) {
  const actor = yield* CurrentActor
  if (!(yield* seesAll) && intervention.clientId !== actor.accountId)
    return yield* new NotFound({ entity: "intervention", id: intervention.id })
  return intervention
})

/**
 * An intervention the caller may see.
 *
 * @since 0.1.0
 * @category steps
 */
export const find = (deps: Deps, id: string, options?: { readonly includeDeleted?: boolean | undefined }) =>
  Effect.flatMap(deps.catalog.get(id, options), visible)

/**
 * @since 0.1.0
 * @category steps
 */
export const append = (
  deps: Deps,
  intervention: Intervention,
  type: EventType,
  data: Record<string, unknown> = {}
) =>
  Effect.gen(function* () {
    // Without an actor, the system acts (a maintenance plan opening its intervention).
    const actor = yield* Effect.serviceOption(CurrentActor)
    const event = new TimelineEvent({
      id: yield* nextId(TimelineEventId),
      orgId: intervention.orgId,
      interventionId: intervention.id,
      type,
      actorId: Option.isSome(actor) ? actor.value.accountId : null,
      at: yield* DateTime.now,
      data: Audit.redact(data)
    })
    yield* deps.timeline.append(event)
    return event
  }).pipe(Effect.provide(deps.services))

/**
 * The timeline event, and the message that tells the newly assigned technicians (only them).
 *
 * @since 0.1.0
 * @category steps
 */
export const announceAssigned = (
  deps: Deps,
  intervention: Intervention,
  accountIds: ReadonlyArray<AccountId>
) =>
  Effect.andThen(
    append(deps, intervention, "assigned", { accountIds }),
    Effect.provide(
      Outbox.send({
        orgId: intervention.orgId,
        topic: "intervention.assigned",
        payload: { id: intervention.id, number: intervention.number, title: intervention.title, accountIds }
      }),
      deps.messages
    )
  )

/**
 * The assignees' time follows what the intervention holds: released and claimed again whenever
 * assignees, schedule, status or deletion change it.
 *
 * @since 0.1.0
 * @category steps
 */
export const syncLedger = (deps: Deps, before: Intervention | null, after: Intervention) =>
  Effect.gen(function* () {
    if (before !== null && !Rules.holdsOtherTime(before, after)) return
    if (before !== null) yield* deps.ledger.release(after.orgId, { type: "intervention", id: after.id })
    const claims = Rules.claimsOf(after)
    if (claims.length > 0) yield* deps.ledger.claim(after.orgId, claims)
  }).pipe(Effect.provide(deps.services))

/**
 * A live row of the caller's org, locked for the rest of the transaction, at the version the
 * caller expects: existence (404) and preconditions (428/412) answer before any state rule.
 *
 * @since 0.1.0
 * @category steps
 */
export const lockForWrite = Effect.fnUntraced(function* (
  deps: Deps,
  id: string,
  expectedVersion: Expected,
  includeDeleted = false
) {
  const actor = yield* CurrentActor
  const found = yield* deps.interventions.find(actor.orgId, id, { forUpdate: true, includeDeleted })
  if (Option.isNone(found)) return yield* new NotFound({ entity: "intervention", id })
  const version = yield* demand("intervention", expectedVersion)
  yield* check("intervention", id, found.value.version, version)
  return { before: found.value, version }
})

/**
 * @since 0.1.0
 * @category steps
 */
export const write = Effect.fnUntraced(function* (
  deps: Deps,
  id: string,
  version: number | undefined,
  changes: Partial<Intervention>
) {
  const actor = yield* CurrentActor
  return yield* deps.interventions
    .update(actor.orgId, id, version, changes)
    // Interventions have no unique field a write could collide with.
    .pipe(Effect.catchTag("AlreadyExists", (error: AlreadyExists) => Effect.die(error)))
})
