/**
 * The contract of every adapter of the booking ports (`BookingRepo`, `FineRepo`). Booking items
 * name units, which a store may require to exist: the adapter's test gives `unit`, which makes
 * one in the org.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { Booking, BookingId, type BookingItem, type BookingStatus } from "../bookings/Booking.ts"
import { BookingRepo, FineRepo } from "../bookings/BookingRepos.ts"
import { Fine, FineId, Payment, PaymentId } from "../bookings/Fine.ts"
import { AccountId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { type ContractSuite, expectEqual, expectTrue } from "./Contract.ts"

/**
 * What the suite needs from the adapter's test: a unit of the org that bookings may name.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fixtures<R> {
  readonly unit: (orgId: OrgId) => Effect.Effect<BookingItem, unknown, R>
}

const at = (year: number, month: number, day: number, hour = 0) =>
  DateTime.makeUnsafe(Date.UTC(year, month - 1, day, hour))

const booking = (
  orgId: OrgId,
  requesterId: AccountId,
  items: ReadonlyArray<BookingItem>,
  fields: { readonly status?: BookingStatus; readonly start: DateTime.Utc; readonly hours?: number }
) =>
  Effect.map(
    nextId(BookingId),
    (id) =>
      new Booking({
        id,
        orgId,
        requesterId,
        status: fields.status ?? "PENDING",
        startAt: fields.start,
        endAt: DateTime.add(fields.start, { hours: fields.hours ?? 2 }),
        purpose: "Contract",
        items,
        version: 1,
        createdAt: at(2030, 1, 1),
        approvedBy: null,
        approvedAt: null,
        cancelledAt: null,
        checkedOutAt: null,
        returnedAt: null,
        lateMinutes: 0
      })
  )

const ids = (page: { readonly items: ReadonlyArray<{ readonly id: string }> }) =>
  page.items.map((row) => row.id)

/**
 * @since 0.1.0
 * @category suites
 */
export const BookingReposContract = <R>(
  fixtures: Fixtures<R>
): ContractSuite<BookingRepo | FineRepo | Ids | R> => {
  const org = Effect.gen(function* () {
    const orgId = yield* nextId(OrgId)
    return { orgId, requesterId: yield* nextId(AccountId) }
  })
  return {
    name: "BookingRepos",
    cases: [
      {
        name: "a stored booking is found in its org only, its items by unit id",
        run: Effect.gen(function* () {
          const repo = yield* BookingRepo
          const { orgId, requesterId } = yield* org
          const units = [yield* fixtures.unit(orgId), yield* fixtures.unit(orgId)]
          const stored = yield* repo.insert(
            yield* booking(orgId, requesterId, [...units].reverse(), { start: at(2030, 3, 1, 9) })
          )
          const found = yield* repo.find(orgId, stored.id)
          yield* expectTrue(Option.isSome(found), "the booking is found")
          yield* expectEqual(
            Option.map(found, (row) => row.items.map((item) => item.unitId)),
            Option.some(units.map((item) => item.unitId).sort()),
            "items by unit id"
          )
          yield* expectEqual(
            Option.map(found, (row) => row.version),
            Option.some(1),
            "version"
          )
          yield* expectTrue(Option.isNone(yield* repo.find(yield* nextId(OrgId), stored.id)), "other org")
          yield* expectTrue(Option.isNone(yield* repo.find(orgId, "not-a-uuid")), "malformed id")
        })
      },
      {
        name: "an update applies the changes, replaces the items and raises the version",
        run: Effect.gen(function* () {
          const repo = yield* BookingRepo
          const { orgId, requesterId } = yield* org
          const first = yield* fixtures.unit(orgId)
          const second = yield* fixtures.unit(orgId)
          const stored = yield* repo.insert(
            yield* booking(orgId, requesterId, [first], { start: at(2030, 3, 2) })
          )
          const approvedAt = at(2030, 2, 1)
          const after = yield* repo.update(orgId, stored.id, {
            status: "APPROVED",
            approvedBy: requesterId,
            approvedAt,
            items: [second]
          })
          yield* expectEqual(
            [after.status, after.version, after.approvedBy, after.items.map((item) => item.unitId)],
            ["APPROVED", 2, requesterId, [second.unitId]],
            "the updated booking"
          )
          yield* expectTrue(
            after.approvedAt !== null && DateTime.Equivalence(after.approvedAt, approvedAt),
            "approvedAt kept"
          )
          const again = yield* repo.find(orgId, stored.id)
          yield* expectEqual(
            Option.map(again, (row) => row.version),
            Option.some(2),
            "the stored version"
          )
        })
      },
      {
        name: "the listing filters, sorts by start then id, and pages without gaps",
        run: Effect.gen(function* () {
          const repo = yield* BookingRepo
          const { orgId, requesterId } = yield* org
          const other = yield* nextId(AccountId)
          const unit = yield* fixtures.unit(orgId)
          const spare = yield* fixtures.unit(orgId)
          const made: Array<Booking> = []
          for (const [day, who, status] of [
            [5, requesterId, "PENDING"],
            [3, requesterId, "APPROVED"],
            [4, other, "PENDING"],
            [6, requesterId, "CANCELLED"]
          ] as const) {
            made.push(
              yield* repo.insert(yield* booking(orgId, who, [unit], { start: at(2030, 4, day), status }))
            )
          }
          made.push(
            yield* repo.insert(yield* booking(orgId, requesterId, [spare], { start: at(2030, 4, 7) }))
          )
          const all = yield* repo.list(orgId, { limit: 50, filters: {} })
          yield* expectEqual(
            ids(all),
            [made[1]!, made[2]!, made[0]!, made[3]!, made[4]!].map((row) => row.id),
            "by start"
          )
          const desc = yield* repo.list(orgId, {
            limit: 50,
            filters: {},
            sort: { field: "startAt", direction: "desc" }
          })
          yield* expectEqual(ids(desc), [...ids(all)].reverse(), "descending")
          const mine = yield* repo.list(orgId, {
            limit: 50,
            filters: { requesterId, statuses: ["PENDING", "APPROVED"], unitId: unit.unitId }
          })
          yield* expectEqual(ids(mine), [made[1]!.id, made[0]!.id], "requester, statuses and unit")
          const window = yield* repo.list(orgId, {
            limit: 50,
            filters: { from: new Date(Date.UTC(2030, 3, 4, 1)), to: new Date(Date.UTC(2030, 3, 5, 1)) }
          })
          yield* expectEqual(ids(window), [made[2]!.id, made[0]!.id], "overlapping the window")
          const pages: Array<string> = []
          let cursor: string | undefined
          do {
            const page = yield* repo.list(orgId, {
              limit: 2,
              filters: {},
              ...(cursor === undefined ? {} : { cursor })
            })
            yield* expectTrue(page.items.length <= 2, "a page holds at most its limit")
            pages.push(...ids(page))
            cursor = page.nextCursor ?? undefined
          } while (cursor !== undefined)
          yield* expectEqual(pages, ids(all), "the pages, in order, without gaps or repeats")
          const refused = yield* Effect.flip(
            repo.list(orgId, { limit: 2, filters: {}, cursor: "%%not a cursor" })
          )
          yield* expectEqual(refused._tag, "ValidationFailed", "a cursor that does not decode")
        })
      },
      {
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
      },
      {
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
          const due = yield* repo.lockOverdue(new Date(Date.UTC(2001, 0, 20)), 10)
          yield* expectEqual(ids({ items: due }), [earlier.id, later.id], "ended, checked out, by end")
          yield* expectEqual(
            ids({ items: yield* repo.lockOverdue(new Date(Date.UTC(2001, 0, 20)), 1) }),
            [earlier.id],
            "limit"
          )
        })
      },
      {
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
      }
    ]
  }
}
