/**
 * The part of the booking contract about the bookings themselves: found in their org only,
 * changed with their items and version, and listed by their filters in keyset pages.
 * `BookingReposContract` runs these cases.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import type { Booking } from "../bookings/Booking.ts"
import { BookingRepo } from "../bookings/BookingRepos.ts"
import { AccountId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { at, booking, type Fixtures, ids, org } from "./BookingFixtures.ts"
import { type ContractCase, expectEqual, expectTrue } from "./Contract.ts"

const found = <R>(fixtures: Fixtures<R>): ContractCase<BookingRepo | Ids | R> => ({
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
})

const updated = <R>(fixtures: Fixtures<R>): ContractCase<BookingRepo | Ids | R> => ({
  name: "an update applies the changes, replaces the items and raises the version",
  run: Effect.gen(function* () {
    const repo = yield* BookingRepo
    const { orgId, requesterId } = yield* org
    const first = yield* fixtures.unit(orgId)
    const second = yield* fixtures.unit(orgId)
    const stored = yield* repo.insert(yield* booking(orgId, requesterId, [first], { start: at(2030, 3, 2) }))
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
})

const listed = <R>(fixtures: Fixtures<R>): ContractCase<BookingRepo | Ids | R> => ({
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
      made.push(yield* repo.insert(yield* booking(orgId, who, [unit], { start: at(2030, 4, day), status })))
    }
    made.push(yield* repo.insert(yield* booking(orgId, requesterId, [spare], { start: at(2030, 4, 7) })))
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
      filters: {
        from: DateTime.makeUnsafe(Date.UTC(2030, 3, 4, 1)),
        to: DateTime.makeUnsafe(Date.UTC(2030, 3, 5, 1))
      }
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
    const refused = yield* Effect.flip(repo.list(orgId, { limit: 2, filters: {}, cursor: "%%not a cursor" }))
    yield* expectEqual(refused._tag, "ValidationFailed", "a cursor that does not decode")
  })
})

/**
 * @since 0.1.0
 * @category suites
 */
export const BookingRecordsCases = <R>(
  fixtures: Fixtures<R>
): ReadonlyArray<ContractCase<BookingRepo | Ids | R>> => [
  found(fixtures),
  updated(fixtures),
  listed(fixtures)
]
