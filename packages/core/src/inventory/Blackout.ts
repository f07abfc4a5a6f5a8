/**
 * Blackouts: closures and holidays during which a unit, every unit of a resource, or every unit
 * of a site's resources cannot be booked. A blackout holds its units' time on the ledger like a
 * booking does, so bookings, availability and the planning view all see it.
 *
 * @since 0.1.0
 */
import { type DateTime, Schema } from "effect"
import { AccountId, OrgId, Uuid } from "../kernel/Ids.ts"
import { UnitId } from "./ResourceUnit.ts"

/**
 * @since 0.1.0
 * @category ids
 */
export const BlackoutId = Uuid.pipe(Schema.brand("BlackoutId"))
/** @since 0.1.0 @category ids */
export type BlackoutId = typeof BlackoutId.Type

/**
 * What a blackout closes: one unit, every unit of a resource, or every unit of the resources at
 * a site (the units there when the blackout was created).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Scope = Schema.Literals(["unit", "resource", "site"])
/** @since 0.1.0 @category models */
export type Scope = typeof Scope.Type

/**
 * Why the units are closed: "Christmas", "annual inspection".
 *
 * @since 0.1.0
 * @category schemas
 */
export const Reason = Schema.String.check(Schema.isTrimmed(), Schema.isBetweenLength(1, 500))

/**
 * @since 0.1.0
 * @category models
 */
export class Blackout extends Schema.Class<Blackout>("@rota/core/Blackout")({
  id: BlackoutId,
  orgId: OrgId,
  scope: Scope,
  scopeId: Uuid,
  startAt: Schema.DateTimeUtc,
  endAt: Schema.DateTimeUtc,
  reason: Reason,
  /** The units whose time it holds. */
  unitIds: Schema.Array(UnitId),
  createdBy: AccountId,
  version: Schema.Int,
  createdAt: Schema.DateTimeUtc,
  deletedAt: Schema.NullOr(Schema.DateTimeUtc)
}) {}

/**
 * A blackout request.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewBlackout {
  readonly scope: Scope
  readonly scopeId: string
  readonly startAt: DateTime.Utc
  readonly endAt: DateTime.Utc
  readonly reason: string
}

/**
 * Listing filters: what it was set on, a unit it holds, and the blackouts overlapping
 * `[from, to)`.
 *
 * @since 0.1.0
 * @category models
 */
export interface BlackoutFilters {
  readonly scope?: Scope | undefined
  readonly scopeId?: string | undefined
  readonly unitId?: UnitId | undefined
  readonly from?: DateTime.Utc | undefined
  readonly to?: DateTime.Utc | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type BlackoutSort = "startAt" | "createdAt"
