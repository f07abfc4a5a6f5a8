/**
 * The contract of every `ReportRepo` adapter, on data written through the other ports: booked
 * and closed time per unit and per resource (booked statuses only, clipped to the window, live
 * units of live resources), overdue bookings and fines per client and per status, and (in
 * `ReportWorkCases`) technicians' workload and lead times. Every case writes another org's rows
 * beside its own, which no report may count.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import type { BookingRepo, FineRepo } from "../bookings/BookingRepos.ts"
import type { Account } from "../identity/Account.ts"
import type { AccountRepo } from "../identity/IdentityRepos.ts"
import { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { Resource } from "../inventory/Resource.ts"
import type { ResourceUnit } from "../inventory/ResourceUnit.ts"
import { AccountId, type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { Ledger } from "../ledger/Ledger.ts"
import { type ClientFinesTotals, ReportRepo, type UtilisationTotals } from "../reports/ReportRepo.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import { account } from "./IdentityFixtures.ts"
import { booked, closed, fine, hour, resource, unit, window } from "./ReportFixtures.ts"
import { ReportWorkCases, type Ports as WorkPorts } from "./ReportWorkCases.ts"

/**
 * The ports the suite writes through, beside the one it reads.
 *
 * @since 0.1.0
 * @category models
 */
export type Ports =
  | ReportRepo
  | BookingRepo
  | FineRepo
  | ResourceRepo
  | UnitRepo
  | Ledger
  | AccountRepo
  | Ids
  | WorkPorts

const H = 3600

// A utilisation row: `held` is the unit, or null for the resource's row.
const used = (
  of: Resource,
  held: ResourceUnit | null,
  counts: {
    readonly units?: number
    readonly bookings: number
    readonly booked: number
    readonly closed: number
  }
): UtilisationTotals => ({
  resourceId: of.id,
  resourceName: of.name,
  unitId: held?.id ?? null,
  unitBarcode: held?.barcode ?? null,
  units: counts.units ?? 1,
  bookings: counts.bookings,
  bookedSeconds: counts.booked * H,
  blackoutSeconds: counts.closed * H
})

// A client's row: overdue bookings and hours, then the fines in `currency` (if any).
const client = (
  who: Account,
  overdue: readonly [bookings: number, hours: number],
  currency: string | null,
  sums: readonly [fines: number, amount: number, paid: number, outstanding: number] = [0, 0, 0, 0]
): ClientFinesTotals => ({
  accountId: who.id,
  username: who.username,
  fullName: who.fullName,
  overdueBookings: overdue[0],
  overdueSeconds: overdue[1] * H,
  currency,
  fines: sums[0],
  amount: sums[1],
  paid: sums[2],
  outstanding: sums[3]
})

/** Another org with a unit booked, closed and fined over every window of the suite. */
const elsewhere = (requesterId: AccountId) =>
  Effect.gen(function* () {
    const orgId = yield* nextId(OrgId)
    const held = yield* unit(yield* resource(orgId, "Drill"), "X-1")
    yield* booked(requesterId, [held], { status: "APPROVED", from: 2, hours: 6 })
    yield* booked(requesterId, [held], { status: "OVERDUE", from: 100, hours: 2 })
    yield* closed(held, 10, 12)
    yield* fine(orgId, requesterId, { amount: 999, currency: "EUR", given: 10 })
  })

const utilisation = Effect.gen(function* () {
  const reports = yield* ReportRepo
  const orgId = yield* nextId(OrgId)
  const requesterId = yield* nextId(AccountId)
  const drill = yield* resource(orgId, "Drill")
  // Lower-case: names order case-insensitively, so it comes before "Drill".
  const camera = yield* resource(orgId, "camera")
  const [d1, d2, d3] = [yield* unit(drill, "D-1"), yield* unit(drill, "D-2"), yield* unit(drill, "D-3")]
  const c1 = yield* unit(camera, "C-1")
  const gone = yield* resource(orgId, "Gone")
  const goneUnit = yield* unit(gone, "G-1")
  yield* resource(orgId, "Empty")
  // D-1: 2 h inside, the 2 h of a return begun the evening before; not what was cancelled,
  // rejected, or only touches the window.
  yield* booked(requesterId, [d1], { status: "APPROVED", from: 10, hours: 2 })
  yield* booked(requesterId, [d1], { status: "RETURNED", from: -1, hours: 3 })
  yield* booked(requesterId, [d1], { status: "CANCELLED", from: 14, hours: 2 })
  yield* booked(requesterId, [d1], { status: "REJECTED", from: 16, hours: 2 })
  yield* booked(requesterId, [d1], { status: "APPROVED", from: 24, hours: 2 })
  yield* booked(requesterId, [d1], { status: "APPROVED", from: -3, hours: 3 })
  // D-2 and C-1 in one booking, its last hour inside; D-2 checked out, and overdue.
  yield* booked(requesterId, [d2, c1], { status: "PENDING", from: 23, hours: 4 })
  yield* booked(requesterId, [d2], { status: "CHECKED_OUT", from: 5, hours: 1 })
  yield* booked(requesterId, [d2], { status: "OVERDUE", from: 7, hours: 1 })
  yield* booked(requesterId, [d3, goneUnit], { status: "APPROVED", from: 1, hours: 1 })
  // Closed: D-1 past the window's end, D-2 inside; a released blackout and a booking's time are not.
  yield* closed(d1, 20, 28)
  yield* closed(d2, 12, 18)
  yield* (yield* Ledger).release(orgId, yield* closed(c1, 2, 4))
  yield* closed(c1, 5, 6, "booking")
  yield* closed(d3, 0, 24)
  yield* Effect.orDie(
    (yield* UnitRepo).softDelete(orgId, d3.id, undefined, DateTime.makeUnsafe(Date.UTC(2030, 3, 1)))
  )
  yield* Effect.orDie(
    (yield* ResourceRepo).softDelete(orgId, gone.id, undefined, DateTime.makeUnsafe(Date.UTC(2030, 3, 1)))
  )
  yield* elsewhere(requesterId)
  const day = window(0, 24)
  yield* expectEqual(
    yield* reports.utilisation(orgId, day, "unit"),
    [
      used(camera, c1, { bookings: 1, booked: 1, closed: 0 }),
      used(drill, d1, { bookings: 2, booked: 4, closed: 4 }),
      used(drill, d2, { bookings: 3, booked: 3, closed: 6 })
    ],
    "by unit"
  )
  yield* expectEqual(
    yield* reports.utilisation(orgId, day, "resource"),
    [
      used(camera, null, { bookings: 1, booked: 1, closed: 0 }),
      used(drill, null, { units: 2, bookings: 5, booked: 7, closed: 10 })
    ],
    "by resource"
  )
  yield* expectEqual(
    yield* reports.utilisation(orgId, window(24, 48), "unit"),
    [
      used(camera, c1, { bookings: 1, booked: 3, closed: 0 }),
      used(drill, d1, { bookings: 1, booked: 2, closed: 4 }),
      used(drill, d2, { bookings: 1, booked: 3, closed: 0 })
    ],
    "the next day"
  )
  yield* expectEqual(yield* reports.utilisation(yield* nextId(OrgId), day, "resource"), [], "an empty org")
})

const fines = Effect.gen(function* () {
  const reports = yield* ReportRepo
  const orgId = yield* nextId(OrgId)
  const [alice, bob, carol, dave] = [
    yield* account({ name: "alice" }),
    yield* account({ name: "Bob" }),
    yield* account({ name: "carol" }),
    yield* account({ name: "dave" })
  ]
  const held = yield* unit(yield* resource(orgId, "Van"), "V-1")
  const now = hour(216)
  // Overdue at `now`: marked so, or still out past the end; not out until now or later, nor returned.
  yield* booked(alice.id, [held], { status: "OVERDUE", from: 190, hours: 2 })
  yield* booked(alice.id, [held], { status: "CHECKED_OUT", from: 202, hours: 2 })
  yield* booked(alice.id, [held], { status: "CHECKED_OUT", from: 214, hours: 2 })
  yield* booked(alice.id, [held], { status: "CHECKED_OUT", from: 215, hours: 3 })
  yield* booked(alice.id, [held], { status: "RETURNED", from: 20, hours: 2 })
  yield* booked(bob.id, [held], { status: "OVERDUE", from: 206, hours: 4 })
  // Fines given in the week [0, 168): its first instant in, its end out.
  yield* fine(orgId, alice.id, { amount: 500, paid: 100, currency: "EUR", given: 24 })
  yield* fine(orgId, alice.id, { amount: 300, paid: 300, status: "PAID", currency: "EUR", given: 48 })
  yield* fine(orgId, alice.id, { amount: 1000, status: "WAIVED", currency: "USD", given: 72 })
  yield* fine(orgId, alice.id, { amount: 700, currency: "EUR", given: 168 })
  yield* fine(orgId, alice.id, { amount: 900, currency: "EUR", given: -1 })
  yield* fine(orgId, carol.id, { amount: 200, currency: "EUR", given: 0 })
  yield* fine(orgId, carol.id, { amount: 50, paid: 20, currency: "USD", given: 100 })
  yield* fine(orgId, dave.id, { amount: 80, currency: "EUR", given: 200 })
  yield* elsewhere(carol.id)
  yield* elsewhere(bob.id)
  const week = window(0, 168)
  yield* expectEqual(
    yield* reports.finesByClient(orgId, week, now),
    [
      client(alice, [2, 36], "EUR", [2, 800, 400, 400]),
      client(alice, [2, 36], "USD", [1, 1000, 0, 0]),
      client(bob, [1, 6], null),
      client(carol, [0, 0], "EUR", [1, 200, 0, 200]),
      client(carol, [0, 0], "USD", [1, 50, 20, 30])
    ],
    "by client"
  )
  yield* expectEqual(
    yield* reports.finesByStatus(orgId, week),
    [
      { status: "OPEN", currency: "EUR", fines: 2, amount: 700, paid: 100, outstanding: 600 },
      { status: "OPEN", currency: "USD", fines: 1, amount: 50, paid: 20, outstanding: 30 },
      { status: "PAID", currency: "EUR", fines: 1, amount: 300, paid: 300, outstanding: 0 },
      { status: "WAIVED", currency: "USD", fines: 1, amount: 1000, paid: 0, outstanding: 0 }
    ],
    "by status"
  )
  yield* expectEqual(
    yield* reports.finesByClient(orgId, window(168, 336), hour(0)),
    [client(alice, [0, 0], "EUR", [1, 700, 0, 700]), client(dave, [0, 0], "EUR", [1, 80, 0, 80])],
    "the next week, before anything was due"
  )
  yield* expectEqual(yield* reports.finesByStatus(yield* nextId(OrgId), week), [], "an empty org")
})

/**
 * @since 0.1.0
 * @category suites
 */
export const ReportRepoContract: ContractSuite<Ports> = {
  name: "ReportRepo",
  cases: [
    {
      name: "utilisation by unit and by resource: booked statuses and blackouts clipped to the window, live units only",
      run: utilisation
    },
    {
      name: "fines by client and by status: bookings overdue now, fines given in the window, by currency",
      run: fines
    },
    ...ReportWorkCases
  ]
}
