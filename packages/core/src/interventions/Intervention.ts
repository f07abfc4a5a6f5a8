/**
 * Interventions: work orders and service tickets. Each has a per-org number (`INT-000123`), a
 * kind, a priority, a status driven by the state machine of `InterventionRules`, optional
 * equipment, client, site, due date and schedule, and the technicians assigned to it.
 *
 * @since 0.1.0
 */
import { DateTime, type DateTime as DT, Schema } from "effect"
import { Description, Name } from "../inventory/Names.ts"
import { ResourceId } from "../inventory/Resource.ts"
import { UnitId } from "../inventory/ResourceUnit.ts"
import { SiteId } from "../inventory/Site.ts"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { Money } from "../kernel/Money.ts"
import { Timestamp } from "../kernel/Timestamp.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const InterventionId = Uuid.pipe(Schema.brand("InterventionId"))
/** @since 0.1.0 @category ids */
export type InterventionId = typeof InterventionId.Type

/**
 * `CORRECTIVE` repairs something broken; `PREVENTIVE` is planned maintenance.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Kind = Schema.Literals(["CORRECTIVE", "PREVENTIVE"])
/** @since 0.1.0 @category models */
export type Kind = typeof Kind.Type

/**
 * From least to most pressing; sorting by priority follows this order.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Priority = Schema.Literals(["LOW", "NORMAL", "HIGH", "URGENT"])
/** @since 0.1.0 @category models */
export type Priority = typeof Priority.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const Status = Schema.Literals(["PENDING", "IN_PROGRESS", "WAITING_PARTS", "COMPLETED", "CANCELLED"])
/** @since 0.1.0 @category models */
export type Status = typeof Status.Type

// PostgreSQL timestamps and JavaScript dates both end at year 9999 (and PGlite refuses later ones).
const lastInstant = Date.UTC(9999, 11, 31, 23, 59, 59, 999)

/**
 * An instant between 1970 and the end of year 9999, the range every store can hold, written in
 * strict RFC 3339.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Instant = Timestamp.check(
  Schema.makeFilter((instant: DT.Utc) => {
    const millis = DateTime.toEpochMillis(instant)
    return (millis >= 0 && millis <= lastInstant) || "must be between 1970 and 9999"
  })
)

/**
 * Free text naming what is worked on when it is not the org's equipment (a customer's vehicle,
 * a VIN): 1..200 characters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Subject = Name

/**
 * @since 0.1.0
 * @category models
 */
export class Intervention extends Schema.Class<Intervention>("@rota/core/Intervention")({
  id: InterventionId,
  orgId: OrgId,
  /** Per-org sequence number, shown as `INT-000123`. */
  number: Schema.String,
  title: Name,
  description: Schema.NullOr(Description),
  kind: Kind,
  priority: Priority,
  status: Status,
  clientId: Schema.NullOr(AccountId),
  resourceId: Schema.NullOr(ResourceId),
  unitId: Schema.NullOr(UnitId),
  subject: Schema.NullOr(Subject),
  siteId: Schema.NullOr(SiteId),
  /** The technicians working on it, in no particular order. */
  assigneeIds: Schema.Array(AccountId),
  scheduledStart: Schema.NullOr(Instant),
  scheduledEnd: Schema.NullOr(Instant),
  dueAt: Schema.NullOr(Instant),
  completedAt: Schema.NullOr(Schema.DateTimeUtc),
  /** Who moved it to `COMPLETED`; the leaderboard credits them when nobody is assigned. */
  completedBy: Schema.NullOr(AccountId),
  /** The cost of the parts used, in the currency of the first part used; `null` before any. */
  partsCost: Schema.NullOr(Money),
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * The assignees of a request: at most 50 technicians.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AssigneeIds = Schema.Array(AccountId).pipe(Schema.check(Schema.isMaxLength(50)))

/**
 * The fields a caller sets when opening an intervention. `kind` defaults to `CORRECTIVE` and
 * `priority` to `NORMAL`; the schedule is both ends or neither.
 *
 * @since 0.1.0
 * @category schemas
 */
export const InterventionFields = Schema.Struct({
  title: Name,
  description: Schema.optionalKey(Schema.NullOr(Description)),
  kind: Schema.optionalKey(Kind),
  priority: Schema.optionalKey(Priority),
  clientId: Schema.optionalKey(Schema.NullOr(AccountId)),
  resourceId: Schema.optionalKey(Schema.NullOr(ResourceId)),
  unitId: Schema.optionalKey(Schema.NullOr(UnitId)),
  subject: Schema.optionalKey(Schema.NullOr(Subject)),
  siteId: Schema.optionalKey(Schema.NullOr(SiteId)),
  dueAt: Schema.optionalKey(Schema.NullOr(Instant)),
  scheduledStart: Schema.optionalKey(Schema.NullOr(Instant)),
  scheduledEnd: Schema.optionalKey(Schema.NullOr(Instant)),
  assigneeIds: Schema.optionalKey(AssigneeIds)
})
/** @since 0.1.0 @category models */
export type InterventionFields = typeof InterventionFields.Type

/**
 * A PATCH: any field of the create body but the assignees (changed by their own call), plus
 * `status`, which moves the intervention through its state machine.
 *
 * @since 0.1.0
 * @category schemas
 */
export const InterventionChanges = Schema.Struct({
  title: Schema.optionalKey(Name),
  description: Schema.optionalKey(Schema.NullOr(Description)),
  kind: Schema.optionalKey(Kind),
  priority: Schema.optionalKey(Priority),
  status: Schema.optionalKey(Status),
  clientId: Schema.optionalKey(Schema.NullOr(AccountId)),
  resourceId: Schema.optionalKey(Schema.NullOr(ResourceId)),
  unitId: Schema.optionalKey(Schema.NullOr(UnitId)),
  subject: Schema.optionalKey(Schema.NullOr(Subject)),
  siteId: Schema.optionalKey(Schema.NullOr(SiteId)),
  dueAt: Schema.optionalKey(Schema.NullOr(Instant)),
  scheduledStart: Schema.optionalKey(Schema.NullOr(Instant)),
  scheduledEnd: Schema.optionalKey(Schema.NullOr(Instant))
})
/** @since 0.1.0 @category models */
export type InterventionChanges = typeof InterventionChanges.Type

/**
 * Assignees to add and to remove, in one call.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AssigneeChanges = Schema.Struct({
  add: Schema.optionalKey(AssigneeIds),
  remove: Schema.optionalKey(AssigneeIds)
})
/** @since 0.1.0 @category models */
export type AssigneeChanges = typeof AssigneeChanges.Type

/**
 * Listing filters. Usernames are compared case-insensitively; `q` searches number, title,
 * description and subject; `from`/`to` keep interventions whose schedule overlaps `[from, to)`,
 * or, unscheduled, whose creation falls in it. `visibleTo` is set by the use case for callers
 * who see only their own tickets.
 *
 * @since 0.1.0
 * @category models
 */
export interface InterventionFilters {
  readonly statuses?: ReadonlyArray<Status> | undefined
  readonly kinds?: ReadonlyArray<Kind> | undefined
  readonly priorities?: ReadonlyArray<Priority> | undefined
  readonly technicianId?: AccountId | undefined
  readonly technicianUsername?: string | undefined
  readonly clientId?: AccountId | undefined
  readonly clientUsername?: string | undefined
  readonly resourceId?: ResourceId | undefined
  readonly q?: string | undefined
  readonly from?: DT.Utc | undefined
  readonly to?: DT.Utc | undefined
  readonly visibleTo?: AccountId | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type InterventionSort = "createdAt" | "dueAt" | "priority" | "number"
