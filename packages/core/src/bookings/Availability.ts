/**
 * A resource's time as bookings see it: per unit, what holds it and when it is free over a
 * window, and which units are free for all of it.
 *
 * @since 0.1.0
 */
import type { Resource, ResourceId } from "../inventory/Resource.ts"
import { isBookable, type ResourceUnit, type UnitId } from "../inventory/ResourceUnit.ts"
import * as Interval from "../ledger/Interval.ts"
import type { Allocation } from "../ledger/Ledger.ts"

/**
 * One unit's time in a window: when it is taken and when it is free.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnitAvailability {
  readonly unitId: UnitId
  readonly barcode: string
  readonly status: ResourceUnit["status"]
  readonly bookable: boolean
  readonly busy: ReadonlyArray<Interval.Interval>
  readonly free: ReadonlyArray<Interval.Interval>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Availability {
  readonly resourceId: ResourceId
  readonly window: Interval.Interval
  /** Bookable units free for the whole window. */
  readonly freeUnitIds: ReadonlyArray<UnitId>
  readonly units: ReadonlyArray<UnitAvailability>
}

/**
 * A resource's units over a window: what holds each, when each is free, and which are free
 * for all of it.
 *
 * @since 0.1.0
 * @category rules
 */
export const availabilityOf = (
  resource: Resource,
  units: ReadonlyArray<ResourceUnit>,
  busy: ReadonlyArray<Allocation>,
  window: Interval.Interval
): Availability => {
  const perUnit = units.map((unit): UnitAvailability => {
    const taken = busy
      .filter((allocation) => allocation.subject.id === unit.id)
      .map((allocation) => allocation.interval)
    const bookable = isBookable(unit, resource)
    return {
      unitId: unit.id,
      barcode: unit.barcode,
      status: unit.status,
      bookable,
      busy: taken,
      free: bookable ? Interval.freeIntervals(taken, window) : []
    }
  })
  return {
    resourceId: resource.id,
    window,
    freeUnitIds: perUnit.filter((unit) => unit.bookable && unit.busy.length === 0).map((unit) => unit.unitId),
    units: perUnit
  }
}
