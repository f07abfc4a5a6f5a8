/**
 * Inviting a person to a mission: the assignment, its invitation link's token and the message
 * that delivers it, in one transaction; and reading assignments.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Duration, Effect, Option } from "effect"
import { TokenSigner } from "../identity/TokenSigner.ts"
import { NotFound } from "../kernel/Errors.ts"
import { type AccountId, nextId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import type { ListQuery } from "../kernel/Records.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { assignmentAccess } from "./Access.ts"
import {
  Assignment,
  type AssignmentFilters,
  AssignmentId,
  type AssignmentSort,
  checkProject
} from "./Assignment.ts"
import type { Deps } from "./AssignmentDeps.ts"
import { assignmentToken, invitedTopic, linkTtl } from "./AssignmentLinks.ts"
import { lockedMission, visible } from "./AssignmentSteps.ts"
import type { Mission, MissionId } from "./Mission.ts"

const invitedPayload = (assignment: Assignment, mission: Mission) => ({
  assignmentId: assignment.id,
  missionId: mission.id,
  accountId: assignment.accountId,
  title: mission.title,
  startAt: DateTime.formatIso(mission.startAt),
  endAt: DateTime.formatIso(mission.endAt),
  respondBy: DateTime.formatIso(assignment.respondBy)
})

/**
 * The invitation without the permission check, for use cases that made their own.
 *
 * @since 0.1.0
 * @category steps
 */
export const send = (deps: Deps) => (mission: Mission, accountId: AccountId) =>
  Effect.gen(function* () {
    const actor = yield* CurrentActor
    const member = yield* deps.memberships.find(actor.orgId, accountId)
    if (Option.isNone(member)) return yield* new NotFound({ entity: "member", id: accountId })
    const now = yield* Clock.currentTimeMillis
    const respondBy = DateTime.makeUnsafe(
      Math.min(now + Duration.toMillis(linkTtl), DateTime.toEpochMillis(mission.startAt))
    )
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const assignment = yield* deps.assignments.insert(
          new Assignment({
            id: yield* nextId(AssignmentId),
            orgId: actor.orgId,
            missionId: mission.id,
            accountId,
            status: "INVITED",
            respondBy,
            respondedAt: null,
            version: 1,
            createdAt: DateTime.makeUnsafe(now),
            deletedAt: null
          })
        )
        const token = yield* Effect.provideService(assignmentToken(assignment), TokenSigner, deps.signer)
        yield* deps.catalog.recordChange("CREATE", null, assignment)
        yield* Outbox.send({
          orgId: actor.orgId,
          topic: invitedTopic,
          payload: invitedPayload(assignment, mission)
        })
        return { assignment, token }
      })
    )
  }).pipe(Effect.provide(deps.context))

/**
 * Invites the person to a live mission of a live, open project (see `checkProject`), read in the
 * invitation's transaction.
 *
 * @since 0.1.0
 * @category steps
 */
export const invite = (deps: Deps) =>
  Effect.fnUntraced(function* (input: { readonly missionId: MissionId; readonly accountId: AccountId }) {
    yield* Permissions.require(assignmentAccess.write)
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const { mission, project } = yield* lockedMission(deps, actor.orgId, input.missionId, "INVITED")
        yield* checkProject(project, "INVITED")
        return yield* send(deps)(mission, input.accountId)
      })
    )
  })

/**
 * Every assignment to managers; to everyone else, their own (another account is `Forbidden`).
 *
 * @since 0.1.0
 * @category steps
 */
export const list = (deps: Deps) =>
  Effect.fnUntraced(function* (query: ListQuery<AssignmentFilters, AssignmentSort>) {
    const actor = yield* CurrentActor
    const accountId = yield* Permissions.accountFilter(actor, assignmentAccess.write, query.filters.accountId)
    return yield* deps.catalog.list({ ...query, filters: { ...query.filters, accountId } })
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const get = (deps: Deps) => (id: string) =>
  Effect.andThen(Permissions.require(assignmentAccess.read), visible(deps, id))
