/**
 * Half-open time intervals `[startAt, endAt)`: an interval holds its start and not its end, so
 * 10:00-11:00 and 11:00-12:00 share no instant and may both be claimed. The rules here are the
 * ones the database states with `tstzrange(start, end, '[)')` and `&&`.
 *
 * @since 0.1.0
 */
import { DateTime, Schema } from "effect"

/**
 * A stretch of time whose end is after its start.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Interval = Schema.Struct({
  startAt: Schema.DateTimeUtc,
  endAt: Schema.DateTimeUtc
}).check(
  Schema.makeFilter((interval) =>
    DateTime.isGreaterThan(interval.endAt, interval.startAt)
      ? undefined
      : { path: ["endAt"], issue: "Expected endAt to be after startAt" }
  )
)
/** @since 0.1.0 @category schemas */
export type Interval = typeof Interval.Type

const startOf = (interval: Interval): number => DateTime.toEpochMillis(interval.startAt)
const endOf = (interval: Interval): number => DateTime.toEpochMillis(interval.endAt)

const fromMillis = (startAt: number, endAt: number): Interval => ({
  startAt: DateTime.makeUnsafe(startAt),
  endAt: DateTime.makeUnsafe(endAt)
})

/**
 * Whether two intervals share an instant. Touching ends do not: `[10, 11)` and `[11, 12)` are
 * disjoint.
 *
 * @since 0.1.0
 * @category rules
 */
export const overlaps = (a: Interval, b: Interval): boolean => startOf(a) < endOf(b) && startOf(b) < endOf(a)

/**
 * The existing intervals a candidate would overlap, in their given order.
 *
 * @since 0.1.0
 * @category rules
 */
export const clashes = <A extends Interval>(existing: ReadonlyArray<A>, candidate: Interval): Array<A> =>
  existing.filter((interval) => overlaps(interval, candidate))

/**
 * The parts of `window` that no busy interval covers, earliest first. Each gap is maximal: two
 * gaps never touch, because busy intervals that overlap or meet are merged first.
 *
 * @since 0.1.0
 * @category rules
 */
export const freeIntervals = (busy: ReadonlyArray<Interval>, window: Interval): Array<Interval> => {
  const windowEnd = endOf(window)
  const sorted = clashes(busy, window).sort((a, b) => startOf(a) - startOf(b))
  const free: Array<Interval> = []
  let cursor = startOf(window)
  for (const interval of sorted) {
    if (startOf(interval) > cursor) free.push(fromMillis(cursor, startOf(interval)))
    cursor = Math.max(cursor, endOf(interval))
  }
  if (cursor < windowEnd) free.push(fromMillis(cursor, windowEnd))
  return free
}
