/**
 * Assignments: a person invited to a mission, who accepts or declines. At most one assignment
 * per mission and person is open (`INVITED` or `ACCEPTED`) at a time; an accepted one holds the
 * person's time on the ledger, and a mission never has more accepted people than it needs.
 *
 * @since 0.1.0
 */
import { Effect, Schema } from "effect"
import { InvalidTransition, NotFound } from "../kernel/Errors.ts"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { MissionId } from "./Mission.ts"
import { checkOpen, type Project, type ProjectClosed } from "./Project.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const AssignmentId = Uuid.pipe(Schema.brand("AssignmentId"))
/** @since 0.1.0 @category ids */
export type AssignmentId = typeof AssignmentId.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const AssignmentStatus = Schema.Literals(["INVITED", "ACCEPTED", "DECLINED", "CANCELLED"])
/** @since 0.1.0 @category models */
export type AssignmentStatus = typeof AssignmentStatus.Type

/**
 * What the invited person answers.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Decision = Schema.Literals(["ACCEPTED", "DECLINED"])
/** @since 0.1.0 @category models */
export type Decision = typeof Decision.Type

/**
 * @since 0.1.0
 * @category models
 */
export class Assignment extends Schema.Class<Assignment>("@rota/core/Assignment")({
  id: AssignmentId,
  orgId: OrgId,
  missionId: MissionId,
  accountId: AccountId,
  status: AssignmentStatus,
  /** Until when the invitation link works: a week, or the mission's start if sooner. */
  respondBy: Schema.DateTimeUtc,
  /** When the person answered (by link or logged in); the link works only before that. */
  respondedAt: Schema.NullOr(Schema.DateTimeUtc),
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  /** Assignments are never hidden: cancelling is a status, so this stays `null`. */
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * Listing filters.
 *
 * @since 0.1.0
 * @category models
 */
export interface AssignmentFilters {
  readonly missionId?: MissionId | undefined
  readonly accountId?: AccountId | undefined
  readonly statuses?: ReadonlyArray<AssignmentStatus> | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type AssignmentSort = "createdAt"

/**
 * The assignment life cycle as data. An accepted assignment may still be declined (the person
 * withdraws) or cancelled (by a manager); both free the person's time.
 *
 * @since 0.1.0
 * @category rules
 */
export const transitions: Readonly<Record<AssignmentStatus, ReadonlyArray<AssignmentStatus>>> = {
  INVITED: ["ACCEPTED", "DECLINED", "CANCELLED"],
  ACCEPTED: ["DECLINED", "CANCELLED"],
  DECLINED: [],
  CANCELLED: []
}

/**
 * Whether an assignment still counts: invited or accepted.
 *
 * @since 0.1.0
 * @category rules
 */
export const isOpen = (status: AssignmentStatus): boolean => status === "INVITED" || status === "ACCEPTED"

/**
 * Refuses a move the life cycle does not allow.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkTransition = (
  from: AssignmentStatus,
  to: AssignmentStatus
): Effect.Effect<void, InvalidTransition> =>
  transitions[from].includes(to)
    ? Effect.void
    : Effect.fail(new InvalidTransition({ entity: "assignment", from, to, allowed: transitions[from] }))

/**
 * A mission already has as many accepted people as it needs.
 *
 * @since 0.1.0
 * @category errors
 */
export class MissionFull extends Schema.TaggedError<MissionFull>()("MissionFull", {
  missionId: Schema.String,
  headcount: Schema.Int
}) {}

/**
 * Refuses one more acceptance when `accepted` people already fill the headcount.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkRoom = (
  mission: { readonly id: string; readonly headcount: number },
  accepted: number
): Effect.Effect<void, MissionFull> =>
  accepted < mission.headcount
    ? Effect.void
    : Effect.fail(new MissionFull({ missionId: mission.id, headcount: mission.headcount }))

/**
 * Refuses changing who works on the missions of a project that is over or gone. Inviting and
 * accepting (`to` is `INVITED` or `ACCEPTED`) take a live, open project: a deleted one is not
 * there (`NotFound`, as it is to a change of its missions) and an archived one is over
 * (`ProjectClosed`). Declining, withdrawing and cancelling are refused in an archived project
 * too: its assignments are the record of who did that work, kept as they were until the project
 * is reopened, like its missions. A deleted project's assignments may still close, as its
 * missions may still be deleted.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkProject = (
  project: Project,
  to: AssignmentStatus
): Effect.Effect<void, NotFound | ProjectClosed> =>
  (to === "INVITED" || to === "ACCEPTED") && project.deletedAt !== null
    ? Effect.fail(new NotFound({ entity: "project", id: project.id }))
    : checkOpen(project)
