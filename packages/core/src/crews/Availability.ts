/**
 * Availability windows: a person says when they can (`AVAILABLE`) or cannot (`UNAVAILABLE`)
 * work, and a manager approves or rejects it. An approved `UNAVAILABLE` window blocks the
 * person from accepting assignments that overlap it.
 *
 * @since 0.1.0
 */
import { type DateTime, Effect, Schema } from "effect"
import { Description } from "../inventory/Names.ts"
import { type Clash, Conflict, InvalidTransition } from "../kernel/Errors.ts"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { type Interval, overlaps } from "../ledger/Interval.ts"
import { Moment } from "./CrewTime.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const AvailabilityId = Uuid.pipe(Schema.brand("AvailabilityId"))
/** @since 0.1.0 @category ids */
export type AvailabilityId = typeof AvailabilityId.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const AvailabilityKind = Schema.Literals(["AVAILABLE", "UNAVAILABLE"])
/** @since 0.1.0 @category models */
export type AvailabilityKind = typeof AvailabilityKind.Type

/**
 * @since 0.1.0
 * @category schemas
 */
export const AvailabilityStatus = Schema.Literals(["PENDING", "APPROVED", "REJECTED"])
/** @since 0.1.0 @category models */
export type AvailabilityStatus = typeof AvailabilityStatus.Type

/**
 * @since 0.1.0
 * @category models
 */
export class Availability extends Schema.Class<Availability>("@rota/core/Availability")({
  id: AvailabilityId,
  orgId: OrgId,
  accountId: AccountId,
  kind: AvailabilityKind,
  startAt: Moment,
  endAt: Moment,
  status: AvailabilityStatus,
  note: Schema.NullOr(Description),
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * The fields a person sets on a window of their own.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AvailabilityFields = Schema.Struct({
  kind: AvailabilityKind,
  startAt: Moment,
  endAt: Moment,
  note: Schema.optionalKey(Schema.NullOr(Description))
})
/** @since 0.1.0 @category models */
export type AvailabilityFields = typeof AvailabilityFields.Type

/**
 * A new window: the fields, and whose time it is. Without `accountId` the window is the
 * caller's own; naming someone else is for those who decide windows (a manager entering a
 * technician's leave reported by phone).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AvailabilitySubmission = Schema.Struct({
  ...AvailabilityFields.fields,
  accountId: Schema.optionalKey(AccountId)
})
/** @since 0.1.0 @category models */
export type AvailabilitySubmission = typeof AvailabilitySubmission.Type

/**
 * Listing filters.
 *
 * @since 0.1.0
 * @category models
 */
export interface AvailabilityFilters {
  readonly accountId?: AccountId | undefined
  readonly kinds?: ReadonlyArray<AvailabilityKind> | undefined
  readonly statuses?: ReadonlyArray<AvailabilityStatus> | undefined
  readonly from?: DateTime.Utc | undefined
  readonly to?: DateTime.Utc | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type AvailabilitySort = "startAt" | "createdAt"

/**
 * A manager decides a pending window once; a changed window is pending again.
 *
 * @since 0.1.0
 * @category rules
 */
export const transitions: Readonly<Record<AvailabilityStatus, ReadonlyArray<AvailabilityStatus>>> = {
  PENDING: ["APPROVED", "REJECTED"],
  APPROVED: [],
  REJECTED: []
}

/**
 * @since 0.1.0
 * @category rules
 */
export const checkTransition = (
  from: AvailabilityStatus,
  to: AvailabilityStatus
): Effect.Effect<void, InvalidTransition> =>
  transitions[from].includes(to)
    ? Effect.void
    : Effect.fail(new InvalidTransition({ entity: "availability", from, to, allowed: transitions[from] }))

/**
 * Whether a window keeps its person from work: approved and `UNAVAILABLE`.
 *
 * @since 0.1.0
 * @category rules
 */
export const blocks = (window: Availability): boolean =>
  window.kind === "UNAVAILABLE" && window.status === "APPROVED" && window.deletedAt === null

/**
 * The `Conflict` that the person's blocking windows overlapping `interval` raise, each window
 * named as a clash of the person, or `undefined` when none does.
 *
 * @since 0.1.0
 * @category rules
 */
export const blockingConflict = (
  windows: ReadonlyArray<Availability>,
  interval: Interval
): Conflict | undefined => {
  const clashes: Array<Clash> = windows
    .filter((window) => blocks(window) && overlaps(window, interval))
    .map((window) => ({
      subjectType: "person",
      subjectId: window.accountId,
      startAt: window.startAt,
      endAt: window.endAt
    }))
  return clashes.length === 0 ? undefined : new Conflict({ conflicts: clashes })
}
