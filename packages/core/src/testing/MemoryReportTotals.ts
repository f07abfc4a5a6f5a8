/**
 * The sums of the booking reports (utilisation, fines) over rows held in memory, as pure
 * functions: what each PostgreSQL statement of the reports groups and orders, written over arrays
 * with the core's report arithmetic (`ReportMath`). `MemoryReportRepo` reads the tables and hands
 * their rows here; `MemoryWorkTotals` sums the interventions.
 *
 * @since 0.1.0
 */
import { DateTime } from "effect"
import type { Booking, BookingStatus } from "../bookings/Booking.ts"
import type { Fine } from "../bookings/Fine.ts"
import type { Account } from "../identity/Account.ts"
import type { Resource } from "../inventory/Resource.ts"
import type { ResourceUnit } from "../inventory/ResourceUnit.ts"
import type { AccountId } from "../kernel/Ids.ts"
import type { Allocation } from "../ledger/Ledger.ts"
import { clippedMillis, type Span } from "../reports/ReportMath.ts"
import type { ClientFinesTotals, UtilisationTotals } from "../reports/ReportRepo.ts"
import type { StatusFinesRow } from "../reports/ReportRows.ts"

const millis = (at: DateTime.Utc): number => DateTime.toEpochMillis(at)

/**
 * Text as PostgreSQL's C collation orders it (code units); `null` before any text.
 *
 * @since 0.1.0
 * @category order
 */
export const compare = (a: string | null, b: string | null): number =>
  a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1

/**
 * The window as a span of epoch milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export const spanOf = (from: DateTime.Utc, to: DateTime.Utc): Span => ({
  start: millis(from),
  end: millis(to)
})

// Half-open spans meet when each starts before the other ends (`&&` on `[)` ranges).
const meets = (span: Span, window: Span) => span.start < window.end && span.end > window.start

// The statuses whose bookings count as booked: those holding the ledger now, and returned ones,
// which held it over their time (otherwise a past window would show nothing booked).
const bookedStatuses: ReadonlySet<BookingStatus> = new Set([
  "PENDING",
  "APPROVED",
  "CHECKED_OUT",
  "OVERDUE",
  "RETURNED"
])

/**
 * Each live unit of a live resource with the bookings and blackout allocations that touch it in
 * the window, clipped to it; ordered by resource name (case-insensitively), resource, barcode and
 * unit. Booked seconds are summed in milliseconds first, as PostgreSQL sums exact intervals.
 *
 * @since 0.1.0
 * @category totals
 */
export const unitTotals = (
  rows: {
    readonly units: ReadonlyArray<ResourceUnit>
    readonly resourceOf: (unit: ResourceUnit) => Resource | undefined
    readonly bookings: ReadonlyArray<Booking>
    readonly allocations: ReadonlyArray<Allocation>
  },
  window: Span
): Array<UtilisationTotals> => {
  const booked = new Map<string, { bookings: number; millis: number }>()
  for (const booking of rows.bookings) {
    const span = spanOf(booking.startAt, booking.endAt)
    if (!bookedStatuses.has(booking.status) || !meets(span, window)) continue
    for (const item of booking.items) {
      const sum = booked.get(item.unitId) ?? { bookings: 0, millis: 0 }
      booked.set(item.unitId, {
        bookings: sum.bookings + 1,
        millis: sum.millis + clippedMillis(span, window)
      })
    }
  }
  const closed = new Map<string, number>()
  for (const allocation of rows.allocations) {
    const span = spanOf(allocation.interval.startAt, allocation.interval.endAt)
    if (!allocation.active || allocation.subject.type !== "unit" || allocation.source.type !== "blackout")
      continue
    if (!meets(span, window)) continue
    closed.set(allocation.subject.id, (closed.get(allocation.subject.id) ?? 0) + clippedMillis(span, window))
  }
  return rows.units
    .flatMap((unit): Array<UtilisationTotals> => {
      const resource = rows.resourceOf(unit)
      if (unit.deletedAt !== null || resource === undefined || resource.deletedAt !== null) return []
      return [
        {
          resourceId: resource.id,
          resourceName: resource.name,
          unitId: unit.id,
          unitBarcode: unit.barcode,
          units: 1,
          bookings: booked.get(unit.id)?.bookings ?? 0,
          bookedSeconds: (booked.get(unit.id)?.millis ?? 0) / 1000,
          blackoutSeconds: (closed.get(unit.id) ?? 0) / 1000
        }
      ]
    })
    .sort(
      (a, b) =>
        compare(a.resourceName.toLowerCase(), b.resourceName.toLowerCase()) ||
        compare(a.resourceId, b.resourceId) ||
        compare(a.unitBarcode, b.unitBarcode) ||
        compare(a.unitId, b.unitId)
    )
}

/**
 * The unit rows summed per resource, in the units' order (resource name, then resource).
 *
 * @since 0.1.0
 * @category totals
 */
export const resourceTotals = (units: ReadonlyArray<UtilisationTotals>): Array<UtilisationTotals> => {
  const byResource = new Map<string, UtilisationTotals>()
  for (const unit of units) {
    const sum = byResource.get(unit.resourceId)
    byResource.set(
      unit.resourceId,
      sum === undefined
        ? { ...unit, unitId: null, unitBarcode: null }
        : {
            ...sum,
            units: sum.units + unit.units,
            bookings: sum.bookings + unit.bookings,
            bookedSeconds: sum.bookedSeconds + unit.bookedSeconds,
            blackoutSeconds: sum.blackoutSeconds + unit.blackoutSeconds
          }
    )
  }
  return [...byResource.values()]
}

interface FineSums {
  readonly fines: number
  readonly amount: number
  readonly paid: number
  readonly outstanding: number
}

const noFines: FineSums = { fines: 0, amount: 0, paid: 0, outstanding: 0 }

// A waived or paid fine owes nothing: only an open one's remainder is outstanding.
const withFine = (sum: FineSums, fine: Fine): FineSums => ({
  fines: sum.fines + 1,
  amount: sum.amount + fine.amount,
  paid: sum.paid + fine.paid,
  outstanding: sum.outstanding + (fine.status === "OPEN" ? fine.amount - fine.paid : 0)
})

// Sums the fines per key, keeping the keys' first-seen values.
const sumFines = <K>(fines: ReadonlyArray<Fine>, keyOf: (fine: Fine) => K, id: (key: K) => string) => {
  const sums = new Map<string, { readonly key: K; readonly sum: FineSums }>()
  for (const fine of fines) {
    const key = keyOf(fine)
    const before = sums.get(id(key))
    sums.set(id(key), { key, sum: withFine(before?.sum ?? noFines, fine) })
  }
  return [...sums.values()]
}

/**
 * Fines by status and currency, ordered by both.
 *
 * @since 0.1.0
 * @category totals
 */
export const statusTotals = (fines: ReadonlyArray<Fine>): Array<StatusFinesRow> =>
  sumFines(
    fines,
    (fine) => ({ status: fine.status, currency: fine.currency }),
    (key) => `${key.status}/${key.currency}`
  )
    .map(({ key, sum }) => ({ ...key, ...sum }))
    .sort((a, b) => compare(a.status, b.status) || compare(a.currency, b.currency))

/**
 * Each client with bookings overdue at `now` (OVERDUE, or CHECKED_OUT past their end) or fines
 * (those given, of the window): one row per currency of their fines, or one with a `null`
 * currency; ordered by username (case-insensitively), account and currency. Clients without an
 * account are left out, as the join to `accounts` leaves them out.
 *
 * @since 0.1.0
 * @category totals
 */
export const clientTotals = (
  rows: {
    readonly bookings: ReadonlyArray<Booking>
    readonly fines: ReadonlyArray<Fine>
    readonly accountOf: (id: AccountId) => Account | undefined
  },
  now: number
): Array<ClientFinesTotals> => {
  const overdue = new Map<AccountId, { bookings: number; millis: number }>()
  for (const booking of rows.bookings) {
    const end = millis(booking.endAt)
    if ((booking.status !== "OVERDUE" && booking.status !== "CHECKED_OUT") || end >= now) continue
    const sum = overdue.get(booking.requesterId) ?? { bookings: 0, millis: 0 }
    overdue.set(booking.requesterId, { bookings: sum.bookings + 1, millis: sum.millis + (now - end) })
  }
  const fined = sumFines(
    rows.fines,
    (fine) => ({ accountId: fine.accountId, currency: fine.currency }),
    (key) => `${key.accountId}/${key.currency}`
  )
  const clients = new Set<AccountId>([...overdue.keys(), ...fined.map(({ key }) => key.accountId)])
  return [...clients]
    .flatMap((accountId): Array<ClientFinesTotals> => {
      const account = rows.accountOf(accountId)
      if (account === undefined) return []
      const late = overdue.get(accountId)
      const person = {
        accountId,
        username: account.username,
        fullName: account.fullName,
        overdueBookings: late?.bookings ?? 0,
        overdueSeconds: (late?.millis ?? 0) / 1000
      }
      const theirs = fined.filter(({ key }) => key.accountId === accountId)
      return theirs.length === 0
        ? [{ ...person, currency: null, ...noFines }]
        : theirs.map(({ key, sum }) => ({ ...person, currency: key.currency, ...sum }))
    })
    .sort(
      (a, b) =>
        compare(a.username.toLowerCase(), b.username.toLowerCase()) ||
        compare(a.accountId, b.accountId) ||
        compare(a.currency, b.currency)
    )
}
