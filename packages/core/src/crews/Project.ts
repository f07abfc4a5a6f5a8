/**
 * Projects: a piece of crew work (a festival, a shoot, a site build) whose missions people are
 * invited to.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Schema } from "effect"
import { Name } from "../inventory/Names.ts"
import { InvalidTransition, ValidationFailed } from "../kernel/Errors.ts"
import { OrgId, Uuid } from "../kernel/Ids.ts"
import type { Interval } from "../ledger/Interval.ts"
import { Moment, within } from "./CrewTime.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const ProjectId = Uuid.pipe(Schema.brand("ProjectId"))
/** @since 0.1.0 @category ids */
export type ProjectId = typeof ProjectId.Type

/**
 * `DRAFT` while it is planned, `ACTIVE` while it runs, `ARCHIVED` when it is over.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProjectStatus = Schema.Literals(["DRAFT", "ACTIVE", "ARCHIVED"])
/** @since 0.1.0 @category models */
export type ProjectStatus = typeof ProjectStatus.Type

/**
 * @since 0.1.0
 * @category models
 */
export class Project extends Schema.Class<Project>("@rota/core/Project")({
  id: ProjectId,
  orgId: OrgId,
  name: Name,
  status: ProjectStatus,
  /** When set, its missions start at or after it. */
  startsAt: Schema.NullOr(Moment),
  /** When set, its missions end at or before it. */
  endsAt: Schema.NullOr(Moment),
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * The fields a caller sets on a project.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProjectFields = Schema.Struct({
  name: Name,
  status: Schema.optionalKey(ProjectStatus),
  startsAt: Schema.optionalKey(Schema.NullOr(Moment)),
  endsAt: Schema.optionalKey(Schema.NullOr(Moment))
})
/** @since 0.1.0 @category models */
export type ProjectFields = typeof ProjectFields.Type

/**
 * Listing filters: `q` searches the name.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProjectFilters {
  readonly statuses?: ReadonlyArray<ProjectStatus> | undefined
  readonly q?: string | undefined
  readonly from?: DateTime.Utc | undefined
  readonly to?: DateTime.Utc | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type ProjectSort = "name" | "createdAt"

/**
 * The project life cycle as data: each status and the statuses it may move to. An archived
 * project may be reopened.
 *
 * @since 0.1.0
 * @category rules
 */
export const transitions: Readonly<Record<ProjectStatus, ReadonlyArray<ProjectStatus>>> = {
  DRAFT: ["ACTIVE", "ARCHIVED"],
  ACTIVE: ["ARCHIVED"],
  ARCHIVED: ["ACTIVE"]
}

/**
 * Refuses a status change the life cycle does not allow; staying put is no change.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkTransition = (
  from: ProjectStatus,
  to: ProjectStatus
): Effect.Effect<void, InvalidTransition> =>
  from === to || transitions[from].includes(to)
    ? Effect.void
    : Effect.fail(new InvalidTransition({ entity: "project", from, to, allowed: transitions[from] }))

/**
 * A project refuses changes to its missions: `ARCHIVED` (it is over; reopen it first) or
 * `DELETED` (a mission cannot come back into a deleted project).
 *
 * @since 0.1.0
 * @category errors
 */
export class ProjectClosed extends Schema.TaggedError<ProjectClosed>()("ProjectClosed", {
  projectId: Schema.String,
  reason: Schema.Literals(["ARCHIVED", "DELETED"])
}) {}

/**
 * Refuses new, changed, duplicated or deleted missions in an archived project: its missions are
 * the record of work that is over, kept as they were until the project is reopened.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkOpen = (project: Project): Effect.Effect<void, ProjectClosed> =>
  project.status === "ARCHIVED"
    ? Effect.fail(new ProjectClosed({ projectId: project.id, reason: "ARCHIVED" }))
    : Effect.void

/**
 * Refuses restoring a mission while its project is deleted (or archived): a live mission never
 * belongs to a project that is gone.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkRestorable = (project: Project): Effect.Effect<void, ProjectClosed> =>
  project.deletedAt !== null
    ? Effect.fail(new ProjectClosed({ projectId: project.id, reason: "DELETED" }))
    : checkOpen(project)

/**
 * Refuses project dates that would leave live missions outside them, naming each one under the
 * date that excludes it: missions are created within their project's dates, and narrowing the
 * dates must not strand them.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkCovers = (
  bounds: { readonly startsAt: DateTime.Utc | null; readonly endsAt: DateTime.Utc | null },
  missions: ReadonlyArray<Interval & { readonly id: string; readonly title: string }>
): Effect.Effect<void, ValidationFailed> => {
  const outside = missions.filter((mission) => !within(mission, bounds))
  if (outside.length === 0) return Effect.void
  return Effect.fail(
    new ValidationFailed({
      errors: outside.map((mission) => ({
        path: [
          "body",
          bounds.startsAt !== null && DateTime.isLessThan(mission.startAt, bounds.startsAt)
            ? "startsAt"
            : "endsAt"
        ],
        message: `would leave mission ${mission.id} ("${mission.title}") outside the project's dates`
      }))
    })
  )
}
