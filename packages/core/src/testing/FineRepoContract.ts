/**
 * The part of the booking contract about fines: stored, updated, listed newest first by their
 * filters, and paid. `BookingReposContract` runs these cases.
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import { BookingRepo, FineRepo } from "../bookings/BookingRepos.ts"
import { Fine, FineId, Payment, PaymentId } from "../bookings/Fine.ts"
import { type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { at, booking, type Fixtures, ids, org } from "./BookingFixtures.ts"
import { type ContractCase, expectEqual, expectTrue } from "./Contract.ts"

const fines = <R>(fixtures: Fixtures<R>): ContractCase<BookingRepo | FineRepo | Ids | R> => ({
  name: "fines are stored, updated, listed newest first by account, and take payments",
  run: Effect.gen(function* () {
    const repo = yield* FineRepo
    const bookings = yield* BookingRepo
    const { orgId, requesterId } = yield* org
    const unit = yield* fixtures.unit(orgId)
    const late = yield* bookings.insert(
      yield* booking(orgId, requesterId, [unit], { start: at(2030, 6, 1), status: "RETURNED" })
    )
    const fine = (day: number) =>
      Effect.map(
        nextId(FineId),
        (id) =>
          new Fine({
            id,
            orgId,
            accountId: requesterId,
            bookingId: late.id,
            amount: 500,
            currency: "EUR",
            paid: 0,
            reason: "Late",
            status: "OPEN",
            version: 1,
            createdAt: at(2030, 6, day)
          })
      )
    const older = yield* repo.insert(yield* fine(2))
    const newer = yield* repo.insert(yield* fine(3))
    yield* repo.addPayment(
      new Payment({
        id: yield* nextId(PaymentId),
        orgId,
        fineId: older.id,
        amount: 500,
        paidBy: requesterId,
        at: at(2030, 6, 4)
      })
    )
    const paid = yield* repo.update(orgId, older.id, { paid: 500, status: "PAID" })
    yield* expectEqual([paid.paid, paid.status, paid.version], [500, "PAID", 2], "the update")
    const found = yield* repo.find(orgId, older.id)
    yield* expectEqual(
      Option.map(found, (row) => row.status),
      Option.some("PAID"),
      "stored"
    )
    const listed = yield* repo.list(orgId, { limit: 10, filters: { accountId: requesterId } })
    yield* expectEqual(ids(listed), [newer.id, older.id], "newest first")
    const open = yield* repo.list(orgId, {
      limit: 10,
      filters: { statuses: ["OPEN"], bookingId: late.id }
    })
    yield* expectEqual(ids(open), [newer.id], "by status and booking")
    yield* expectTrue(Option.isNone(yield* repo.find(yield* nextId(OrgId), older.id)), "other org")
  })
})

/**
 * @since 0.1.0
 * @category suites
 */
export const FineRepoCases = <R>(
  fixtures: Fixtures<R>
): ReadonlyArray<ContractCase<BookingRepo | FineRepo | Ids | R>> => [fines(fixtures)]
