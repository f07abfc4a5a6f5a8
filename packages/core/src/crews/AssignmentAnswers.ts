/**
 * Answering and closing assignments: the person accepts or declines (logged in, or from the
 * invitation link), a manager cancels, and a mission's changes reach its assignments.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, Option } from "effect"
import { TokenInvalid, TokenUsed } from "../identity/IdentityErrors.ts"
import { Forbidden } from "../kernel/Errors.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { Actor, CurrentActor } from "../kernel/RequestContext.ts"
import type { Expected } from "../kernel/Versioning.ts"
import type { Interval } from "../ledger/Interval.ts"
import { assignmentAccess } from "./Access.ts"
import type { Decision } from "./Assignment.ts"
import type { Deps } from "./AssignmentDeps.ts"
import { purpose } from "./AssignmentLinks.ts"
import { move, sourceOf, visible } from "./AssignmentSteps.ts"
import { blockingConflict } from "./Availability.ts"
import type { MissionId } from "./Mission.ts"

/**
 * The person accepts or declines their own assignment.
 *
 * @since 0.1.0
 * @category steps
 */
export const setStatus = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected, status: Decision) {
    yield* Permissions.require(assignmentAccess.read)
    const actor = yield* CurrentActor
    // Only the person answers for themselves; a manager sees the assignment but may not.
    const current = yield* visible(deps, id)
    if (current.accountId !== actor.accountId)
      return yield* new Forbidden({ permission: assignmentAccess.read })
    return yield* move(deps, id, expectedVersion, status, () => Effect.void)
  })

/**
 * A manager cancels an open assignment, freeing the person's time.
 *
 * @since 0.1.0
 * @category steps
 */
export const cancel = (deps: Deps) => (id: string, expectedVersion: Expected) =>
  Effect.andThen(
    Permissions.require(assignmentAccess.write),
    move(deps, id, expectedVersion, "CANCELLED", () => Effect.void).pipe(
      // Cancelling claims no time and no place.
      Effect.catchTag("MissionFull", (error) => Effect.die(error)),
      Effect.catchTag("Conflict", (error) => Effect.die(error))
    )
  )

/**
 * Answers from the invitation link, without a login: the token names the assignment.
 *
 * @since 0.1.0
 * @category steps
 */
export const respond = (deps: Deps) =>
  Effect.fnUntraced(function* (token: string, decision: Decision) {
    const claims = yield* deps.signer.verifyPurpose(token, purpose)
    const found = yield* deps.assignments.findAnywhere(claims.id)
    if (Option.isNone(found) || found.value.accountId !== claims.subject)
      return yield* new TokenInvalid({ purpose })
    const assignment = found.value
    // The link acts as the person, as long as they still belong to the org.
    const member = yield* deps.memberships.find(assignment.orgId, assignment.accountId)
    if (Option.isNone(member)) return yield* new TokenInvalid({ purpose })
    const actor = new Actor({
      accountId: assignment.accountId,
      orgId: assignment.orgId,
      role: member.value.role
    })
    return yield* move(deps, claims.id, undefined, decision, (before) =>
      Effect.gen(function* () {
        // Checked on the locked row, so of two uses of one link exactly one gets through.
        if (before.respondedAt !== null || before.status !== "INVITED")
          return yield* new TokenUsed({ purpose })
        const now = yield* Clock.currentTimeMillis
        if (now >= DateTime.toEpochMillis(before.respondBy)) return yield* new TokenInvalid({ purpose })
      })
    ).pipe(
      // A link names no version, so none can be stale or missing.
      Effect.catchTag("PreconditionFailed", (error) => Effect.die(error)),
      Effect.catchTag("PreconditionRequired", (error) => Effect.die(error)),
      Effect.provideService(CurrentActor, actor)
    )
  })

/**
 * Cancels the mission's open assignments with `cancel` (the mission is going away).
 *
 * @since 0.1.0
 * @category steps
 */
export const closeAll = (
  deps: Deps,
  cancelOne: (id: string, expectedVersion: Expected) => Effect.Effect<unknown, unknown, CurrentActor>
) =>
  Effect.fnUntraced(function* (missionId: MissionId) {
    const actor = yield* CurrentActor
    for (const open of yield* deps.assignments.listOpen(actor.orgId, missionId)) {
      // Open assignments of a locked mission can always be cancelled.
      yield* Effect.orDie(cancelOne(open.id, undefined))
    }
  })

/**
 * Moves the time its accepted people hold to the mission's new interval.
 *
 * @since 0.1.0
 * @category steps
 */
export const reschedule = (deps: Deps) => (missionId: MissionId, interval: Interval) =>
  Effect.gen(function* () {
    const actor = yield* CurrentActor
    for (const open of yield* deps.assignments.listOpen(actor.orgId, missionId)) {
      if (open.status !== "ACCEPTED") continue
      const away = blockingConflict(
        yield* deps.availability.blocking(actor.orgId, open.accountId, interval),
        interval
      )
      if (away !== undefined) return yield* away
      yield* deps.ledger.move(actor.orgId, sourceOf(open.id), interval)
    }
  }).pipe(Effect.provide(deps.context))
