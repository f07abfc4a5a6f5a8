/**
 * The overdue scan: checked-out bookings past their end become OVERDUE, and the requesters of
 * the next bookings of their units learn the units may not be back in time. Run by the
 * scheduler, so the system acts, not a person.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Ids } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { Booking, BookingStatus } from "./Booking.ts"
import * as Lifecycle from "./BookingLifecycle.ts"
import { BookingRepo } from "./BookingRepos.ts"

// The requesters of the next bookings of a late unit learn it may not be back in time.
const notifyNextInLine = Effect.fnUntraced(function* (late: Booking) {
  const bookings = yield* BookingRepo
  for (const item of late.items) {
    const filters = {
      unitId: item.unitId,
      statuses: ["PENDING", "APPROVED"] as const,
      from: late.endAt
    }
    const next = yield* Effect.orDie(bookings.list(late.orgId, { limit: 20, filters }))
    for (const booking of next.items) {
      yield* Outbox.send({
        orgId: booking.orgId,
        topic: "booking.unit_not_returned",
        payload: {
          id: booking.id,
          requesterId: booking.requesterId,
          unitId: item.unitId,
          lateBookingId: late.id
        }
      })
    }
  }
})

/**
 * Marks up to 100 checked-out bookings past their end OVERDUE, in one transaction; answers how
 * many.
 *
 * @since 0.1.0
 * @category use cases
 */
export const markOverdue: Effect.Effect<
  number,
  never,
  BookingRepo | Transactor | AuditLog | Outbox.Outbox | Ids
> = Effect.flatMap(
  Effect.all([Effect.service(BookingRepo), Effect.service(Transactor)]),
  ([bookings, transactor]) =>
    transactor.withTransaction(
      Effect.gen(function* () {
        const due = yield* bookings.lockOverdue(yield* DateTime.now, 100)
        for (const before of due) {
          const status: BookingStatus = yield* Effect.orDie(Lifecycle.apply(before.status, "markOverdue"))
          const after = yield* bookings.update(before.orgId, before.id, { status })
          yield* Audit.recordAs(
            { orgId: after.orgId, actorId: null },
            { entityType: "booking", entityId: after.id, action: "STATUS_CHANGE", before, after }
          )
          yield* Outbox.send({
            orgId: after.orgId,
            topic: "booking.overdue",
            payload: { id: after.id, requesterId: after.requesterId, endAt: DateTime.formatIso(after.endAt) }
          })
          yield* notifyNextInLine(after)
        }
        return due.length
      })
    )
).pipe(Effect.withSpan("Bookings.markOverdue"))
