/**
 * The state changes of a booking after its request: approval, rejection, cancellation,
 * check-out (only of units no earlier booking still holds) and return (with its late fine).
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import * as Audit from "../kernel/Audit.ts"
import { nextId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Expected } from "../kernel/Versioning.ts"
import type { Booking } from "./Booking.ts"
import type { Deps } from "./BookingDeps.ts"
import { UnitNotReturned } from "./BookingErrors.ts"
import * as Rules from "./BookingRules.ts"
import { settingsOf, transition } from "./BookingSteps.ts"
import { FineId } from "./Fine.ts"

/**
 * @since 0.1.0
 * @category steps
 */
export const approve = (deps: Deps) => (id: string, expectedVersion: Expected) =>
  transition(deps, id, expectedVersion, "approve", Rules.needs("booking.approve"), (_, at) =>
    Effect.map(Effect.service(CurrentActor), (actor) => ({ approvedBy: actor.accountId, approvedAt: at }))
  )

/**
 * @since 0.1.0
 * @category steps
 */
export const reject = (deps: Deps) => (id: string, expectedVersion: Expected) =>
  transition(deps, id, expectedVersion, "reject", Rules.needs("booking.approve"), () => Effect.succeed({}))

/**
 * @since 0.1.0
 * @category steps
 */
export const cancel = (deps: Deps) => (id: string, expectedVersion: Expected) =>
  transition(deps, id, expectedVersion, "cancel", Rules.ownOr("booking.manage"), (_, at) =>
    Effect.succeed({ cancelledAt: at })
  )

// A unit still out with an earlier booking cannot be checked out again.
const notHeldElsewhere = (deps: Deps) =>
  Effect.fnUntraced(function* (booking: Booking, at: DateTime.Utc) {
    const unitIds = booking.items.map((item) => item.unitId)
    const held = yield* deps.bookings.holdingUnits(booking.orgId, unitIds, booking.id)
    if (held.length > 0) return yield* new UnitNotReturned({ unitIds: held.map((entry) => entry.unitId) })
    return { checkedOutAt: at }
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const checkOut = (deps: Deps) => (id: string, expectedVersion: Expected) =>
  transition(deps, id, expectedVersion, "checkOut", Rules.needs("booking.manage"), notHeldElsewhere(deps))

// A late return creates its fine in the return's transaction.
const fineLateReturn = Effect.fnUntraced(function* (deps: Deps, returned: Booking) {
  const settings = yield* settingsOf(deps, returned.orgId)
  const fine = Rules.lateFine(returned, settings, yield* nextId(FineId), yield* DateTime.now)
  if (fine === undefined) return
  yield* deps.fines.insert(fine)
  yield* Audit.record({ entityType: "fine", entityId: fine.id, action: "CREATE", after: fine })
  yield* Outbox.send({ orgId: fine.orgId, topic: "fine.created", payload: Rules.finePayload(fine) })
})

/**
 * A return later than the grace period records `lateMinutes` and creates a fine.
 *
 * @since 0.1.0
 * @category steps
 */
export const returnBooking = (deps: Deps) => (id: string, expectedVersion: Expected) =>
  transition(
    deps,
    id,
    expectedVersion,
    "return",
    Rules.needs("booking.manage"),
    (booking, at) =>
      Effect.map(settingsOf(deps, booking.orgId), (settings) => Rules.returnedAt(booking, at, settings)),
    (_, returned) => fineLateReturn(deps, returned).pipe(Effect.provide(deps.context))
  )
