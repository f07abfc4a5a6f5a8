/**
 * Projects: a piece of crew work (a festival, a shoot, a site build) whose missions people are
 * invited to.
 *
 * @since 0.1.0
 */
import { type DateTime, Effect, Schema } from "effect"
import { Name } from "../inventory/Names.ts"
import { InvalidTransition } from "../kernel/Errors.ts"
import { OrgId, Uuid } from "../kernel/Ids.ts"
import { Moment } from "./CrewTime.ts"

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
