/**
 * The assignments use case: a manager invites a person to a mission (the invitation goes out
 * through the outbox with a signed link); the person accepts or declines, logged in or from the
 * link. Accepting claims the person's time on the ledger for the mission's interval, after
 * checking the mission has room and no approved unavailability of theirs overlaps it. Nobody is
 * invited to, accepts, withdraws from or is cancelled from a mission of an archived project
 * (`ProjectClosed`): its assignments are the record of that work until it is reopened.
 *
 * Concurrency: every change locks its mission row first, then its project's, so acceptances of
 * one mission run one after the other and each counts the accepted people its predecessors left,
 * and none passes an archiving or a deletion of the project; the ledger's own guarantee (no two
 * active allocations of one person overlap) settles acceptances of different missions by the
 * same person.
 *
 * The steps: `AssignmentInvites`, `AssignmentAnswers`, over `AssignmentSteps`; the links in
 * `AssignmentLinks`.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { TokenInvalid, TokenUsed } from "../identity/IdentityErrors.ts"
import type { MembershipRepo } from "../identity/IdentityRepos.ts"
import type { TokenSigner } from "../identity/TokenSigner.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type {
  AlreadyExists,
  Conflict,
  Forbidden,
  InvalidTransition,
  NotFound,
  PreconditionFailed,
  PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import type { AccountId, Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page } from "../kernel/Pagination.ts"
import type { ListQuery } from "../kernel/Records.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import type { Interval } from "../ledger/Interval.ts"
import type { Ledger } from "../ledger/Ledger.ts"
import type { Assignment, AssignmentFilters, AssignmentSort, Decision, MissionFull } from "./Assignment.ts"
import * as Answers from "./AssignmentAnswers.ts"
import * as AssignmentDeps from "./AssignmentDeps.ts"
import * as Invites from "./AssignmentInvites.ts"
import type { Invited } from "./AssignmentLinks.ts"
import type { AssignmentRepo, AvailabilityRepo, MissionRepo, ProjectRepo } from "./CrewRepos.ts"
import type { Mission, MissionId } from "./Mission.ts"
import type { ProjectClosed } from "./Project.ts"

export {
  /** @since 0.1.0 */
  assignmentToken,
  /** @since 0.1.0 */
  type Invited,
  /** @since 0.1.0 */
  invitedTopic
} from "./AssignmentLinks.ts"

type Answer =
  | Forbidden
  | NotFound
  | PreconditionRequired
  | PreconditionFailed
  | InvalidTransition
  | MissionFull
  | Conflict
  | ProjectClosed

/**
 * @since 0.1.0
 * @category services
 */
export class Assignments extends Context.Service<
  Assignments,
  {
    /** Every assignment to managers; to everyone else, their own. */
    readonly list: (
      query: ListQuery<AssignmentFilters, AssignmentSort>
    ) => Effect.Effect<Page<Assignment>, Forbidden | ValidationFailed, CurrentActor>
    readonly get: (id: string) => Effect.Effect<Assignment, Forbidden | NotFound, CurrentActor>
    /**
     * A second open assignment of the person to the mission is `AlreadyExists`; a mission of an
     * archived project takes nobody (`ProjectClosed`).
     */
    readonly invite: (input: {
      readonly missionId: MissionId
      readonly accountId: AccountId
    }) => Effect.Effect<Invited, Forbidden | NotFound | AlreadyExists | ProjectClosed, CurrentActor>
    /** The same without the permission check, for use cases that made their own. */
    readonly send: (
      mission: Mission,
      accountId: AccountId
    ) => Effect.Effect<Invited, NotFound | AlreadyExists, CurrentActor>
    /** The person accepts or declines their own assignment. */
    readonly setStatus: (
      id: string,
      expectedVersion: Expected,
      status: Decision
    ) => Effect.Effect<Assignment, Answer, CurrentActor>
    /** A manager cancels an open assignment, freeing the person's time. */
    readonly cancel: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<
      Assignment,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | InvalidTransition | ProjectClosed,
      CurrentActor
    >
    /** Answers from the invitation link, without a login: the token names the assignment. */
    readonly respond: (
      token: string,
      decision: Decision
    ) => Effect.Effect<
      Assignment,
      TokenInvalid | TokenUsed | InvalidTransition | MissionFull | Conflict | NotFound | ProjectClosed
    >
    /** Cancels the mission's open assignments, freeing their time (the mission is going away). */
    readonly closeAll: (missionId: MissionId) => Effect.Effect<void, never, CurrentActor>
    /** Moves the time its accepted people hold to the mission's new interval. */
    readonly reschedule: (
      missionId: MissionId,
      interval: Interval
    ) => Effect.Effect<void, Conflict, CurrentActor>
  }
>()("@rota/core/crews/Assignments") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Assignments,
  never,
  | AssignmentRepo
  | MissionRepo
  | ProjectRepo
  | AvailabilityRepo
  | MembershipRepo
  | Ledger
  | TokenSigner
  | Transactor
  | AuditLog
  | Outbox.Outbox
  | Ids
> = Layer.effect(
  Assignments,
  Effect.gen(function* () {
    const deps = yield* AssignmentDeps.make
    const cancel = Effect.fn("Assignments.cancel")(Answers.cancel(deps))
    return Assignments.of({
      list: Effect.fn("Assignments.list")(Invites.list(deps)),
      get: Effect.fn("Assignments.get")(Invites.get(deps)),
      invite: Effect.fn("Assignments.invite")(Invites.invite(deps)),
      send: Effect.fn("Assignments.send")(Invites.send(deps)),
      setStatus: Effect.fn("Assignments.setStatus")(Answers.setStatus(deps)),
      cancel,
      respond: Effect.fn("Assignments.respond")(Answers.respond(deps)),
      closeAll: Effect.fn("Assignments.closeAll")(Answers.closeAll(deps, cancel)),
      reschedule: Effect.fn("Assignments.reschedule")(Answers.reschedule(deps))
    })
  })
)
