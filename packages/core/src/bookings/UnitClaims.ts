/**
 * Claiming units for a booking: the units a request names, checked bookable, then any free unit
 * of each named resource, each claimed in the ledger as it is chosen. Runs inside the write's
 * transaction, so a refusal rolls every claim back.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import { ResourceRepo, UnitRepo, unitsOf } from "../inventory/InventoryRepos.ts"
import type { Resource, ResourceId } from "../inventory/Resource.ts"
import { isBookable, type ResourceUnit } from "../inventory/ResourceUnit.ts"
import { type Conflict, NotFound, type ValidationFailed } from "../kernel/Errors.ts"
import type { Ids } from "../kernel/Ids.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Interval } from "../ledger/Interval.ts"
import { clashesWith, conflictOf, Ledger } from "../ledger/Ledger.ts"
import type { BookingItem, RequestedItem } from "./Booking.ts"
import { NotBookable } from "./BookingErrors.ts"
import { claimsFor, freeOf, invalid, namesUnitTwice, sortedItems } from "./BookingRules.ts"

/**
 * The units of a resource a booking may take: none while the resource is deleted or out of
 * service.
 *
 * @since 0.1.0
 * @category claims
 */
export const bookableUnits = Effect.fnUntraced(function* (resource: Resource) {
  if (resource.deletedAt !== null || resource.status !== "AVAILABLE") return [] as Array<ResourceUnit>
  const all = yield* unitsOf(yield* UnitRepo, resource.orgId, resource.id)
  return all.filter((unit) => unit.status === "AVAILABLE")
})

// Tries the resource's free units in turn: another request may take one between the look and
// the claim, and the ledger is what decides.
const claimAnyUnit = Effect.fn("UnitClaims.claimAnyUnit")(function* (
  bookingId: string,
  resourceId: ResourceId,
  interval: Interval,
  taken: ReadonlyArray<BookingItem>
): Effect.fn.Return<
  BookingItem,
  NotFound | NotBookable | Conflict,
  CurrentActor | Ids | UnitRepo | ResourceRepo | Ledger
> {
  const actor = yield* CurrentActor
  const ledger = yield* Ledger
  const resource = yield* (yield* ResourceRepo).find(actor.orgId, resourceId, { includeDeleted: true })
  if (Option.isNone(resource)) return yield* new NotFound({ entity: "resource", id: resourceId })
  const candidates = (yield* bookableUnits(resource.value)).filter(
    (unit) => !taken.some((item) => item.unitId === unit.id)
  )
  if (candidates.length === 0)
    return yield* new NotBookable({ unitIds: [], reason: "The resource has no bookable unit" })
  const busy = yield* ledger.activeFor(
    actor.orgId,
    candidates.map((unit) => ({ type: "unit", id: unit.id })),
    interval
  )
  let lastConflict: Conflict | undefined
  for (const unit of freeOf(candidates, busy)) {
    const item = { unitId: unit.id, resourceId: unit.resourceId }
    const claimed = yield* Effect.result(ledger.claim(actor.orgId, claimsFor(bookingId, [item], interval)))
    if (claimed._tag === "Success") return item
    lastConflict = claimed.failure
  }
  // Nothing free: the conflict names what holds each unit.
  return yield* lastConflict ??
    conflictOf(
      clashesWith(
        busy,
        candidates.flatMap((unit) => claimsFor(bookingId, [{ unitId: unit.id, resourceId }], interval))
      )
    ) ??
    new NotBookable({ unitIds: [], reason: "The resource has no bookable unit" })
})

/**
 * Claims the requested items for the booking over the interval; answers the chosen items in
 * the order they are stored.
 *
 * @since 0.1.0
 * @category claims
 */
export const claimItems = Effect.fn("UnitClaims.claimItems")(function* (
  bookingId: string,
  requested: ReadonlyArray<RequestedItem>,
  interval: Interval
): Effect.fn.Return<
  Array<BookingItem>,
  NotFound | NotBookable | Conflict | ValidationFailed,
  CurrentActor | Ids | UnitRepo | ResourceRepo | Ledger
> {
  const actor = yield* CurrentActor
  const named = requested.flatMap((item) => ("unitId" in item ? [item.unitId] : []))
  // Every named unit with its resource in one read, then judged in the order they were named.
  const standings =
    named.length === 0 ? [] : yield* (yield* UnitRepo).standings(actor.orgId, [...new Set(named)])
  const byId = new Map(standings.map((standing) => [standing.unit.id, standing]))
  const chosen: Array<BookingItem> = []
  for (const unitId of named) {
    const standing = byId.get(unitId)
    if (standing === undefined) return yield* new NotFound({ entity: "unit", id: unitId })
    if (!isBookable(standing.unit, standing.resource))
      return yield* new NotBookable({
        unitIds: [unitId],
        reason: "The unit or its resource is not available"
      })
    chosen.push({ unitId: standing.unit.id, resourceId: standing.unit.resourceId })
  }
  if (namesUnitTwice(chosen)) return yield* invalid("items", "A unit is named twice")
  yield* (yield* Ledger).claim(actor.orgId, claimsFor(bookingId, chosen, interval))
  for (const item of requested) {
    if (!("resourceId" in item)) continue
    chosen.push(yield* claimAnyUnit(bookingId, item.resourceId, interval, chosen))
  }
  return sortedItems(chosen)
})
