/**
 * The steps the assignment operations share: who sees an assignment, the live mission, claiming
 * the person's time, and moving an assignment to a new status in one transaction.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, Option } from "effect"
import { NotFound } from "../kernel/Errors.ts"
import type { OrgId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { check, demand, type Expected } from "../kernel/Versioning.ts"
import type { Source } from "../ledger/Ledger.ts"
import { assignmentAccess } from "./Access.ts"
import {
  type Assignment,
  type AssignmentStatus,
  checkProject,
  checkRoom,
  checkTransition
} from "./Assignment.ts"
import type { Deps } from "./AssignmentDeps.ts"
import { blockingConflict } from "./Availability.ts"
import { intervalOf, type Mission, type MissionId } from "./Mission.ts"

/**
 * @since 0.1.0
 * @category rules
 */
export const sourceOf = (id: string): Source => ({ type: "assignment", id })

/**
 * @since 0.1.0
 * @category steps
 */
export const manages = Effect.map(Effect.service(CurrentActor), (actor) =>
  Permissions.allows(actor, assignmentAccess.write)
)

/**
 * The assignment if the caller may see it: managers see all, others their own.
 *
 * @since 0.1.0
 * @category steps
 */
export const visible = Effect.fnUntraced(function* (deps: Deps, id: string) {
  const actor = yield* CurrentActor
  const found = yield* deps.assignments.find(actor.orgId, id)
  if (Option.isNone(found) || (found.value.accountId !== actor.accountId && !(yield* manages))) {
    return yield* new NotFound({ entity: "assignment", id })
  }
  return found.value
})

/**
 * The mission, locked, then its project, locked: the order every write of a mission takes, so
 * archiving or deleting the project and changing who works on it happen one after the other.
 * Inviting and accepting (`to`) need the mission live; closing an assignment does not.
 *
 * @since 0.1.0
 * @category steps
 */
export const lockedMission = Effect.fnUntraced(function* (
  deps: Deps,
  orgId: OrgId,
  id: MissionId,
  to: AssignmentStatus
) {
  const includeDeleted = to !== "INVITED" && to !== "ACCEPTED"
  const found = yield* deps.missions.find(orgId, id, { includeDeleted, forUpdate: true })
  if (Option.isNone(found)) return yield* new NotFound({ entity: "mission", id })
  // A mission's project row is never removed, only marked deleted.
  const project = Option.getOrThrow(
    yield* deps.projects.find(orgId, found.value.projectId, { includeDeleted: true, forUpdate: true })
  )
  return { mission: found.value, project }
})

// The person's time for the mission, or why not: no room, away, or busy elsewhere.
const claimTime = Effect.fnUntraced(function* (
  deps: Deps,
  orgId: OrgId,
  mission: Mission,
  assignment: Assignment
) {
  yield* checkRoom(mission, yield* deps.assignments.countAccepted(orgId, mission.id))
  const interval = intervalOf(mission)
  const away = blockingConflict(
    yield* deps.availability.blocking(orgId, assignment.accountId, interval),
    interval
  )
  if (away !== undefined) return yield* away
  yield* deps.ledger.claim(orgId, [
    { subject: { type: "person", id: assignment.accountId }, interval, source: sourceOf(assignment.id) }
  ])
})

/**
 * Moves one assignment to `to` in one transaction. `admit` runs once the row is locked, for
 * checks that must see it as it is (a link already used).
 *
 * @since 0.1.0
 * @category steps
 */
export const move = <E>(
  deps: Deps,
  id: string,
  expectedVersion: Expected,
  to: AssignmentStatus,
  admit: (before: Assignment) => Effect.Effect<void, E>
) =>
  Effect.gen(function* () {
    const actor = yield* CurrentActor
    const current = yield* visible(deps, id)
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        // Mission, project, then the assignment: every acceptance of a mission queues here, and
        // none slips past its project being archived.
        const { mission, project } = yield* lockedMission(deps, actor.orgId, current.missionId, to)
        const before = Option.getOrThrow(yield* deps.assignments.find(actor.orgId, id, { forUpdate: true }))
        const version = yield* demand("assignment", expectedVersion)
        yield* check("assignment", id, before.version, version)
        yield* admit(before)
        yield* checkProject(project, to)
        yield* checkTransition(before.status, to)
        if (to === "ACCEPTED") yield* claimTime(deps, actor.orgId, mission, before)
        else if (before.status === "ACCEPTED") yield* deps.ledger.release(actor.orgId, sourceOf(id))
        const answered = to === "ACCEPTED" || to === "DECLINED"
        const at = DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
        const after = yield* deps.assignments
          .update(actor.orgId, id, before.version, {
            status: to,
            respondedAt: answered && before.respondedAt === null ? at : before.respondedAt
          })
          // The row is locked and its mission and person do not change: no unique index can trip.
          .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
        yield* deps.catalog.recordChange("STATUS_CHANGE", before, after)
        return after
      })
    )
  }).pipe(Effect.provide(deps.context))
