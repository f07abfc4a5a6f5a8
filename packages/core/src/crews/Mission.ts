/**
 * Missions: one job of a project (a role over a time slot, at a place) that needs a number of
 * people.
 *
 * @since 0.1.0
 */
import { type DateTime, Schema } from "effect"
import { Description, Name } from "../inventory/Names.ts"
import { OrgId, Uuid } from "../kernel/Ids.ts"
import type { Interval } from "../ledger/Interval.ts"
import { Moment } from "./CrewTime.ts"
import { ProjectId } from "./Project.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const MissionId = Uuid.pipe(Schema.brand("MissionId"))
/** @since 0.1.0 @category ids */
export type MissionId = typeof MissionId.Type

/**
 * How many people a mission needs: 1..1000.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Headcount = Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 1, maximum: 1000 })))

/**
 * The skill a mission asks for ("rigger", "sound engineer"): 1..100 characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MissionRole = Schema.String.pipe(
  Schema.check(Schema.isBetweenLength(1, 100), Schema.isPattern(/\S/, { message: "must not be blank" }))
)

/**
 * @since 0.1.0
 * @category models
 */
export class Mission extends Schema.Class<Mission>("@rota/core/Mission")({
  id: MissionId,
  orgId: OrgId,
  projectId: ProjectId,
  title: Name,
  role: MissionRole,
  startAt: Moment,
  endAt: Moment,
  /** Never fewer than the mission's accepted assignments. */
  headcount: Headcount,
  location: Schema.NullOr(Description),
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * The fields a caller sets on a mission; its project is given apart.
 *
 * @since 0.1.0
 * @category schemas
 */
export const MissionFields = Schema.Struct({
  title: Name,
  role: MissionRole,
  startAt: Moment,
  endAt: Moment,
  headcount: Headcount,
  location: Schema.optionalKey(Schema.NullOr(Description))
})
/** @since 0.1.0 @category models */
export type MissionFields = typeof MissionFields.Type

/**
 * How a mission is copied: at another start (keeping its length) and with another title if
 * given, and with the people invited or accepted on it invited again when asked.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Duplication = Schema.Struct({
  startAt: Schema.optionalKey(Moment),
  title: Schema.optionalKey(Name),
  inviteCrew: Schema.optionalKey(Schema.Boolean)
})
/** @since 0.1.0 @category models */
export type Duplication = typeof Duplication.Type

/**
 * Listing filters: `q` searches title and location; `from`/`to` keep missions overlapping the
 * window.
 *
 * @since 0.1.0
 * @category models
 */
export interface MissionFilters {
  readonly projectId?: ProjectId | undefined
  readonly role?: string | undefined
  readonly q?: string | undefined
  readonly from?: DateTime.Utc | undefined
  readonly to?: DateTime.Utc | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type MissionSort = "startAt" | "title" | "createdAt"

/**
 * The time a mission claims of each person who accepts it.
 *
 * @since 0.1.0
 * @category rules
 */
export const intervalOf = (mission: Interval): Interval => ({
  startAt: mission.startAt,
  endAt: mission.endAt
})
