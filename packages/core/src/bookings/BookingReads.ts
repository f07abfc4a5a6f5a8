/**
 * Reading bookings (members their own, managers all) and a resource's free time.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import { unitsOf } from "../inventory/InventoryRepos.ts"
import type { ResourceId } from "../inventory/Resource.ts"
import { NotFound } from "../kernel/Errors.ts"
import * as Permissions from "../kernel/Permissions.ts"
import type { ListQuery } from "../kernel/Records.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type * as Interval from "../ledger/Interval.ts"
import * as Availability from "./Availability.ts"
import type { BookingFilters, BookingSort } from "./Booking.ts"
import type { Deps } from "./BookingDeps.ts"
import * as Rules from "./BookingRules.ts"
import { visible } from "./BookingSteps.ts"

/**
 * Members see their own bookings only (another requester is `Forbidden`); managers see all.
 *
 * @since 0.1.0
 * @category steps
 */
export const list = (deps: Deps) =>
  Effect.fnUntraced(function* (query: ListQuery<BookingFilters, BookingSort>) {
    yield* Permissions.require("booking.create")
    const actor = yield* CurrentActor
    const requesterId = yield* Permissions.accountFilter(actor, "booking.read_all", query.filters.requesterId)
    return yield* deps.bookings.list(actor.orgId, { ...query, filters: { ...query.filters, requesterId } })
  })

/**
 * Another member's booking is `NotFound` to a member.
 *
 * @since 0.1.0
 * @category steps
 */
export const get = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    yield* Permissions.require("booking.create")
    const actor = yield* CurrentActor
    return yield* visible(yield* deps.bookings.find(actor.orgId, id), id)
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const availability = (deps: Deps) =>
  Effect.fnUntraced(function* (resourceId: ResourceId, window: Interval.Interval) {
    yield* Permissions.require("inventory.read")
    const problem = Rules.windowProblem(window)
    if (problem !== undefined) return yield* problem
    const actor = yield* CurrentActor
    const resource = yield* deps.resources.find(actor.orgId, resourceId)
    if (Option.isNone(resource)) return yield* new NotFound({ entity: "resource", id: resourceId })
    const all = yield* unitsOf(deps.units, actor.orgId, resourceId)
    const subjects = all.map((unit) => ({ type: "unit" as const, id: unit.id }))
    return Availability.availabilityOf(
      resource.value,
      all,
      yield* deps.ledger.activeFor(actor.orgId, subjects, window),
      window
    )
  })
