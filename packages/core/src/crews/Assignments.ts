/**
 * The assignments use case: a manager invites a person to a mission (the invitation goes out
 * through the outbox with a signed link); the person accepts or declines, logged in or from the
 * link. Accepting claims the person's time on the ledger for the mission's interval, after
 * checking the mission has room and no approved unavailability of theirs overlaps it.
 *
 * Concurrency: an acceptance locks its mission row first, so acceptances of one mission run one
 * after the other and each counts the accepted people its predecessors left; the ledger's own
 * guarantee (no two active allocations of one person overlap) settles acceptances of different
 * missions by the same person.
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Duration, Effect, Layer, Option } from "effect"
import type { AuditLog } from "../AuditLog.ts"
import * as Catalog from "../Catalog.ts"
import {
  type AlreadyExists,
  type Conflict,
  Forbidden,
  type InvalidTransition,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  type ValidationFailed
} from "../Errors.ts"
import { type AccountId, type Ids, nextId, type OrgId } from "../Ids.ts"
import { TokenInvalid, TokenUsed } from "../identity/IdentityErrors.ts"
import { MembershipRepo } from "../identity/IdentityRepos.ts"
import * as Permissions from "../identity/Permissions.ts"
import { TokenSigner } from "../identity/TokenSigner.ts"
import type { Interval } from "../ledger/Interval.ts"
import { Ledger, type Source } from "../ledger/Ledger.ts"
import * as Outbox from "../Outbox.ts"
import type { Page } from "../Pagination.ts"
import type { ListQuery } from "../Records.ts"
import { Actor, CurrentActor } from "../RequestContext.ts"
import { Transactor } from "../Transactor.ts"
import { check, demand, type Expected } from "../Versioning.ts"
import { assignmentAccess } from "./Access.ts"
import {
  Assignment,
  type AssignmentFilters,
  AssignmentId,
  type AssignmentSort,
  type AssignmentStatus,
  checkRoom,
  checkTransition,
  type Decision,
  type MissionFull
} from "./Assignment.ts"
import { blockingConflict } from "./Availability.ts"
import { AssignmentRepo, AvailabilityRepo, MissionRepo } from "./CrewRepos.ts"
import { intervalOf, type Mission, type MissionId } from "./Mission.ts"

/** What an invitation link is for: a token for anything else never answers an assignment. */
const purpose = "assignment-response"

/**
 * The outbox topic of an invitation to a mission; its payload names the assignment, never the
 * link's token.
 *
 * @since 0.1.0
 * @category topics
 */
export const invitedTopic = "assignment.invited"

/**
 * The token of an assignment's invitation link, signed over what the assignment row stores, so
 * the deliverer signs it again from the row and no copy of it is kept.
 *
 * @since 0.1.0
 * @category tokens
 */
export const assignmentToken = (assignment: Assignment): Effect.Effect<string, never, TokenSigner> =>
  Effect.flatMap(Effect.service(TokenSigner), (signer) =>
    signer.signPurpose({
      purpose,
      subject: assignment.accountId,
      id: assignment.id,
      expiresAt: DateTime.toDateUtc(assignment.respondBy)
    })
  )

/** How long an invitation link works, unless the mission starts sooner. */
const linkTtl = Duration.days(7)

/**
 * A new assignment and the token of its invitation link.
 *
 * @since 0.1.0
 * @category models
 */
export interface Invited {
  readonly assignment: Assignment
  readonly token: string
}

type Answer =
  | Forbidden
  | NotFound
  | PreconditionRequired
  | PreconditionFailed
  | InvalidTransition
  | MissionFull
  | Conflict

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
    /** A second open assignment of the person to the mission is `AlreadyExists`. */
    readonly invite: (input: {
      readonly missionId: MissionId
      readonly accountId: AccountId
    }) => Effect.Effect<Invited, Forbidden | NotFound | AlreadyExists, CurrentActor>
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
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | InvalidTransition,
      CurrentActor
    >
    /** Answers from the invitation link, without a login: the token names the assignment. */
    readonly respond: (
      token: string,
      decision: Decision
    ) => Effect.Effect<
      Assignment,
      TokenInvalid | TokenUsed | InvalidTransition | MissionFull | Conflict | NotFound
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

const sourceOf = (id: string): Source => ({ type: "assignment", id })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Assignments,
  never,
  | AssignmentRepo
  | MissionRepo
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
    const assignments = yield* AssignmentRepo
    const catalog = yield* Catalog.make({
      entity: "assignment",
      records: assignments,
      access: assignmentAccess
    })
    const missions = yield* MissionRepo
    const availability = yield* AvailabilityRepo
    const memberships = yield* MembershipRepo
    const ledger = yield* Ledger
    const signer = yield* TokenSigner
    const transactor = yield* Transactor
    const context = yield* Effect.context<Outbox.Outbox | Ids>()

    const manages = Effect.map(Effect.service(CurrentActor), (actor) =>
      Permissions.allows(actor.role, assignmentAccess.write)
    )

    // The assignment if the caller may see it: managers see all, others their own.
    const visible = (id: string) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const found = yield* assignments.find(actor.orgId, id)
        if (Option.isNone(found) || (found.value.accountId !== actor.accountId && !(yield* manages))) {
          return yield* new NotFound({ entity: "assignment", id })
        }
        return found.value
      })

    const liveMission = (orgId: OrgId, id: MissionId, forUpdate: boolean) =>
      Effect.flatMap(missions.find(orgId, id, { forUpdate }), (found) =>
        Option.isSome(found)
          ? Effect.succeed(found.value)
          : Effect.fail(new NotFound({ entity: "mission", id }))
      )

    // The person's time for the mission, or why not: no room, away, or busy elsewhere.
    const claimTime = (orgId: OrgId, mission: Mission, assignment: Assignment) =>
      Effect.gen(function* () {
        yield* checkRoom(mission, yield* assignments.countAccepted(orgId, mission.id))
        const interval = intervalOf(mission)
        const away = blockingConflict(
          yield* availability.blocking(orgId, assignment.accountId, interval),
          interval
        )
        if (away !== undefined) return yield* away
        yield* ledger.claim(orgId, [
          { subject: { type: "person", id: assignment.accountId }, interval, source: sourceOf(assignment.id) }
        ])
      })

    /**
     * Moves one assignment to `to` in one transaction. `admit` runs once the row is locked, for
     * checks that must see it as it is (a link already used).
     */
    const move = <E>(
      id: string,
      expectedVersion: Expected,
      to: AssignmentStatus,
      admit: (before: Assignment) => Effect.Effect<void, E>
    ) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const current = yield* visible(id)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            // Mission first, then the assignment: every acceptance of a mission queues here.
            const mission =
              to === "ACCEPTED" ? yield* liveMission(actor.orgId, current.missionId, true) : undefined
            const before = Option.getOrThrow(yield* assignments.find(actor.orgId, id, { forUpdate: true }))
            const version = yield* demand("assignment", expectedVersion)
            yield* check("assignment", id, before.version, version)
            yield* admit(before)
            yield* checkTransition(before.status, to)
            if (mission !== undefined) yield* claimTime(actor.orgId, mission, before)
            else if (before.status === "ACCEPTED") yield* ledger.release(actor.orgId, sourceOf(id))
            const answered = to === "ACCEPTED" || to === "DECLINED"
            const at = DateTime.makeUnsafe(yield* Clock.currentTimeMillis)
            const after = yield* assignments
              .update(actor.orgId, id, before.version, {
                status: to,
                respondedAt: answered && before.respondedAt === null ? at : before.respondedAt
              })
              // The row is locked and its mission and person do not change: no unique index can trip.
              .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
            yield* catalog.recordChange("STATUS_CHANGE", before, after)
            return after
          })
        )
      }).pipe(Effect.provide(context))

    const send = (mission: Mission, accountId: AccountId) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const member = yield* memberships.find(actor.orgId, accountId)
        if (Option.isNone(member)) return yield* new NotFound({ entity: "member", id: accountId })
        const now = yield* Clock.currentTimeMillis
        const respondBy = DateTime.makeUnsafe(
          Math.min(now + Duration.toMillis(linkTtl), DateTime.toEpochMillis(mission.startAt))
        )
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const assignment = yield* assignments.insert(
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
            const token = yield* Effect.provideService(assignmentToken(assignment), TokenSigner, signer)
            yield* catalog.recordChange("CREATE", null, assignment)
            yield* Outbox.send({
              orgId: actor.orgId,
              topic: invitedTopic,
              payload: {
                assignmentId: assignment.id,
                missionId: mission.id,
                accountId,
                title: mission.title,
                startAt: DateTime.formatIso(mission.startAt),
                endAt: DateTime.formatIso(mission.endAt),
                respondBy: DateTime.formatIso(respondBy)
              }
            })
            return { assignment, token }
          })
        )
      }).pipe(Effect.provide(context))

    const list: Assignments["Service"]["list"] = (query) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const own = !(yield* manages)
        return yield* catalog.list(
          own ? { ...query, filters: { ...query.filters, accountId: actor.accountId } } : query
        )
      })

    const get: Assignments["Service"]["get"] = (id) =>
      Effect.andThen(Permissions.require(assignmentAccess.read), visible(id))

    const invite: Assignments["Service"]["invite"] = (input) =>
      Effect.gen(function* () {
        yield* Permissions.require(assignmentAccess.write)
        const actor = yield* CurrentActor
        return yield* send(yield* liveMission(actor.orgId, input.missionId, false), input.accountId)
      })

    const setStatus: Assignments["Service"]["setStatus"] = (id, expectedVersion, status) =>
      Effect.gen(function* () {
        yield* Permissions.require(assignmentAccess.read)
        const actor = yield* CurrentActor
        // Only the person answers for themselves; a manager sees the assignment but may not.
        const current = yield* visible(id)
        if (current.accountId !== actor.accountId) {
          return yield* new Forbidden({ permission: assignmentAccess.read })
        }
        return yield* move(id, expectedVersion, status, () => Effect.void)
      })

    const cancel: Assignments["Service"]["cancel"] = (id, expectedVersion) =>
      Effect.andThen(
        Permissions.require(assignmentAccess.write),
        move(id, expectedVersion, "CANCELLED", () => Effect.void).pipe(
          // Cancelling claims no time and no place.
          Effect.catchTag("MissionFull", (error) => Effect.die(error)),
          Effect.catchTag("Conflict", (error) => Effect.die(error))
        )
      )

    const respond: Assignments["Service"]["respond"] = (token, decision) =>
      Effect.gen(function* () {
        const claims = yield* signer.verifyPurpose(token, purpose)
        const found = yield* assignments.findAnywhere(claims.id)
        if (Option.isNone(found) || found.value.accountId !== claims.subject) {
          return yield* new TokenInvalid({ purpose })
        }
        const assignment = found.value
        // The link acts as the person, as long as they still belong to the org.
        const member = yield* memberships.find(assignment.orgId, assignment.accountId)
        if (Option.isNone(member)) return yield* new TokenInvalid({ purpose })
        const actor = new Actor({
          accountId: assignment.accountId,
          orgId: assignment.orgId,
          role: member.value.role
        })
        return yield* move(claims.id, undefined, decision, (before) =>
          Effect.gen(function* () {
            // Checked on the locked row, so of two uses of one link exactly one gets through.
            if (before.respondedAt !== null || before.status !== "INVITED") {
              return yield* new TokenUsed({ purpose })
            }
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

    const closeAll: Assignments["Service"]["closeAll"] = (missionId) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        for (const open of yield* assignments.listOpen(actor.orgId, missionId)) {
          // Open assignments of a locked mission can always be cancelled.
          yield* Effect.orDie(cancel(open.id, undefined))
        }
      })

    const reschedule: Assignments["Service"]["reschedule"] = (missionId, interval) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        for (const open of yield* assignments.listOpen(actor.orgId, missionId)) {
          if (open.status !== "ACCEPTED") continue
          const away = blockingConflict(
            yield* availability.blocking(actor.orgId, open.accountId, interval),
            interval
          )
          if (away !== undefined) return yield* away
          yield* ledger.move(actor.orgId, sourceOf(open.id), interval)
        }
      }).pipe(Effect.provide(context))

    return Assignments.of({ list, get, invite, send, setStatus, cancel, respond, closeAll, reschedule })
  })
)
