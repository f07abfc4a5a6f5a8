/**
 * The part of the booking contract about the queries the booking rules run across bookings: who
 * has a unit out, and which checked-out bookings are overdue. `BookingReposContract` runs these
 * cases.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { BookingRepo } from "../bookings/BookingRepos.ts"
import type { Ids } from "../kernel/Ids.ts"
import { at, booking, type Fixtures, ids, org } from "./BookingFixtures.ts"
import { type ContractCase, expectEqual } from "./Contract.ts"

const holding = <R>(fixtures: Fixtures<R>): ContractCase<BookingRepo | Ids | R> => ({
  name: "holdingUnits names other bookings that have the units out",
  run: Effect.gen(function* () {
    const repo = yield* BookingRepo
    const { orgId, requesterId } = yield* org
    const unit = yield* fixtures.unit(orgId)
    const out = yield* repo.insert(
      yield* booking(orgId, requesterId, [unit], { start: at(2030, 5, 1), status: "CHECKED_OUT" })
    )
    yield* repo.insert(
      yield* booking(orgId, requesterId, [unit], { start: at(2030, 5, 2), status: "APPROVED" })
    )
    const next = yield* repo.insert(
      yield* booking(orgId, requesterId, [unit], { start: at(2030, 5, 3), status: "APPROVED" })
    )
    yield* expectEqual(
      yield* repo.holdingUnits(orgId, [unit.unitId], next.id),
      [{ bookingId: out.id, unitId: unit.unitId }],
      "the booking that has the unit out"
    )
    yield* expectEqual(yield* repo.holdingUnits(orgId, [unit.unitId], out.id), [], "itself excepted")
    yield* expectEqual(yield* repo.holdingUnits(orgId, [], next.id), [], "no units")
  })
})

const overdue = <R>(fixtures: Fixtures<R>): ContractCase<BookingRepo | Ids | R> => ({
  name: "lockOverdue answers checked-out bookings past their end, earliest end first",
  run: Effect.gen(function* () {
    const repo = yield* BookingRepo
    const { orgId, requesterId } = yield* org
    const unit = yield* fixtures.unit(orgId)
    const later = yield* repo.insert(
      yield* booking(orgId, requesterId, [unit], { start: at(2001, 1, 3), status: "CHECKED_OUT" })
    )
    const earlier = yield* repo.insert(
      yield* booking(orgId, requesterId, [unit], { start: at(2001, 1, 2), status: "CHECKED_OUT" })
    )
    yield* repo.insert(
      yield* booking(orgId, requesterId, [unit], { start: at(2001, 1, 1), status: "RETURNED" })
    )
    yield* repo.insert(
      yield* booking(orgId, requesterId, [unit], { start: at(2001, 2, 1), status: "CHECKED_OUT" })
    )
    const due = yield* repo.lockOverdue(DateTime.makeUnsafe(Date.UTC(2001, 0, 20)), 10)
    yield* expectEqual(ids({ items: due }), [earlier.id, later.id], "ended, checked out, by end")
    yield* expectEqual(
      ids({ items: yield* repo.lockOverdue(DateTime.makeUnsafe(Date.UTC(2001, 0, 20)), 1) }),
      [earlier.id],
      "limit"
    )
  })
})

/**
 * @since 0.1.0
 * @category suites
 */
export const BookingScansCases = <R>(
  fixtures: Fixtures<R>
): ReadonlyArray<ContractCase<BookingRepo | Ids | R>> => [holding(fixtures), overdue(fixtures)]
