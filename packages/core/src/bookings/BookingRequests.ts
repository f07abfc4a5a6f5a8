/**
 * Requesting a booking and editing it: the units claimed in the ledger, the booking, its audit
 * event and message in one transaction.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { nextId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Expected } from "../kernel/Versioning.ts"
import { type Booking, BookingId } from "./Booking.ts"
import type { Deps } from "./BookingDeps.ts"
import * as Lifecycle from "./BookingLifecycle.ts"
import * as Rules from "./BookingRules.ts"
import { forChange, free, record, settingsOf } from "./BookingSteps.ts"
import type { BookingSeriesId } from "./Series.ts"
import { claimItems } from "./UnitClaims.ts"

/**
 * PENDING, or APPROVED at once when the org's policy auto-approves the requester's role. An
 * occurrence of a series names its series in its message, so that approvers are told of the
 * series once rather than of each occurrence.
 *
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) =>
  Effect.fnUntraced(function* (input: Rules.NewBooking, seriesId?: BookingSeriesId) {
    yield* Permissions.require("booking.create")
    const actor = yield* CurrentActor
    const interval = { startAt: input.startAt, endAt: input.endAt }
    const problem = Rules.intervalProblem(interval, yield* DateTime.now)
    if (problem !== undefined) return yield* problem
    const approved = Rules.autoApproves(yield* settingsOf(deps, actor.orgId), actor.role)
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const id = yield* nextId(BookingId)
        const items = yield* claimItems(id, input.items, interval)
        const at = yield* DateTime.now
        const booking = yield* deps.bookings.insert(
          Rules.newBooking({ id, actor, input, items, approved, at })
        )
        const payload = Rules.eventPayload(booking)
        yield* record(
          "CREATE",
          null,
          booking,
          "booking.created",
          seriesId === undefined ? payload : { ...payload, seriesId }
        )
        return booking
      })
    )
  }, Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const update = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected, edit: Rules.BookingEdit) {
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const before = yield* forChange(deps, id, expectedVersion, Rules.ownOr("booking.manage"))
        yield* Lifecycle.apply(before.status, "edit")
        const { interval, moved } = Rules.editedInterval(before, edit)
        const problem = moved ? Rules.intervalProblem(interval, yield* DateTime.now) : undefined
        if (problem !== undefined) return yield* problem
        let items: ReadonlyArray<Booking["items"][number]> | undefined
        if (edit.items !== undefined || moved) {
          // The old claims go and the new ones are checked against everyone else's.
          yield* deps.ledger.release(before.orgId, Rules.sourceOf(id))
          items = yield* claimItems(
            id,
            edit.items ?? before.items.map(({ unitId }) => ({ unitId })),
            interval
          )
        }
        const after = yield* deps.bookings.update(before.orgId, id, {
          startAt: interval.startAt,
          endAt: interval.endAt,
          ...(edit.purpose === undefined ? {} : { purpose: edit.purpose }),
          ...(items === undefined ? {} : { items })
        })
        if (items !== undefined) yield* free(deps, before)
        yield* record("UPDATE", before, after, "booking.updated")
        return after
      })
    )
  }, Effect.provide(deps.context))
