/**
 * Deciding an entry: the requester accepts (the offer's hold becomes a booking) or declines,
 * cancels; staff offer a chosen unit or interval, refuse, or force expiry.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import * as Audit from "../kernel/Audit.ts"
import { NotFound, ValidationFailed } from "../kernel/Errors.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { check, demand, type Expected } from "../kernel/Versioning.ts"
import type { Interval } from "../ledger/Interval.ts"
import { holdOf } from "./Offers.ts"
import type { Deps } from "./WaitlistDeps.ts"
import { offeredInterval } from "./WaitlistEntry.ts"
import type { StaffOffer } from "./WaitlistInput.ts"
import { apply } from "./WaitlistLifecycle.ts"

// The caller's own entry, or any entry for staff, locked at the expected version; another
// member's is not found.
const locked = Effect.fnUntraced(function* (
  deps: Deps,
  id: string,
  expectedVersion: Expected,
  staff: boolean
) {
  const actor = yield* CurrentActor
  const found = yield* deps.repo.find(actor.orgId, id, { forUpdate: true })
  const mayManage = Permissions.allows(actor, "waitlist.manage")
  if (Option.isNone(found) || (!mayManage && found.value.requesterId !== actor.accountId))
    return yield* new NotFound({ entity: "waitlist_entry", id })
  if (staff && !mayManage) yield* Permissions.require("waitlist.manage")
  const version = yield* demand("waitlist_entry", expectedVersion)
  yield* check("waitlist_entry", id, found.value.version, version)
  return found.value
})

/**
 * @since 0.1.0
 * @category steps
 */
export const accept = (deps: Deps) => (id: string, expectedVersion: Expected) =>
  deps.transactor
    .withTransaction(
      Effect.gen(function* () {
        const entry = yield* locked(deps, id, expectedVersion, false)
        const status = yield* apply(entry.status, "accept")
        const unitId = entry.offeredUnitId!
        // The hold and the booking swap in one transaction: nobody can take the unit between.
        yield* deps.ledger.release(entry.orgId, holdOf(entry.id))
        const interval = offeredInterval(entry)
        const booking = yield* deps.bookings.create({
          startAt: interval.startAt,
          endAt: interval.endAt,
          purpose: entry.purpose,
          items: [{ unitId }]
        })
        const after = yield* deps.repo.update(entry.orgId, entry.id, { status, bookingId: booking.id })
        yield* Audit.record({
          entityType: "waitlist_entry",
          entityId: entry.id,
          action: "STATUS_CHANGE",
          before: entry,
          after
        })
        return after
      })
    )
    .pipe(Effect.provide(deps.context))

/**
 * Closes an entry by `action`; staff actions need staff rights, some a permission first.
 *
 * @since 0.1.0
 * @category steps
 */
export const closeAs =
  (
    deps: Deps,
    action: "decline" | "cancel" | "expire" | "refuse",
    staff: boolean,
    permission?: Permissions.Permission
  ) =>
  (id: string, expectedVersion: Expected) =>
    Effect.gen(function* () {
      if (permission !== undefined) yield* Permissions.require(permission)
      const actor = yield* CurrentActor
      return yield* deps.transactor.withTransaction(
        Effect.gen(function* () {
          const entry = yield* locked(deps, id, expectedVersion, staff)
          return yield* deps.offers.close(entry, action, actor.accountId)
        })
      )
    }).pipe(Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const offer = (deps: Deps) => (id: string, expectedVersion: Expected, proposal: StaffOffer) =>
  Effect.gen(function* () {
    yield* Permissions.require("waitlist.manage")
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const entry = yield* locked(deps, id, expectedVersion, true)
        yield* apply(entry.status, "offer")
        const interval: Interval = {
          startAt: proposal.startAt ?? entry.startAt,
          endAt: proposal.endAt ?? entry.endAt
        }
        if (DateTime.toEpochMillis(interval.endAt) <= DateTime.toEpochMillis(interval.startAt))
          return yield* new ValidationFailed({
            errors: [{ path: ["body", "endAt"], message: "must be after startAt" }]
          })
        const availability = yield* deps.bookings.availability(entry.resourceId, interval)
        const unitId = proposal.unitId ?? availability.freeUnitIds[0]
        const known = availability.units.find((unit) => unit.unitId === unitId)
        if (unitId === undefined || known === undefined || !known.bookable) {
          return yield* new ValidationFailed({
            errors: [{ path: ["body", "unitId"], message: "No bookable unit of this resource is free then" }]
          })
        }
        return yield* deps.offers.offer(entry, unitId, interval, actor.accountId)
      })
    )
  }).pipe(Effect.provide(deps.context))
