/**
 * The times crews plan with: instants kept within the years a calendar can hold (so every
 * stored time round-trips through the database), and periods whose end is after their start.
 *
 * @since 0.1.0
 */
import { DateTime, Schema } from "effect"
import { ValidationFailed } from "../kernel/Errors.ts"
import { Timestamp } from "../kernel/Timestamp.ts"
import type { Interval } from "../ledger/Interval.ts"

/**
 * An instant from 1970 to the end of 9999, written in strict RFC 3339.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Moment = Timestamp.pipe(
  Schema.check(
    Schema.makeIsBetween({ order: DateTime.Order })({
      minimum: DateTime.makeUnsafe(0),
      maximum: DateTime.makeUnsafe("9999-12-31T23:59:59.999Z")
    })
  )
)

/**
 * The `ValidationFailed` of a period whose end is not after its start, or `undefined`.
 *
 * @since 0.1.0
 * @category rules
 */
export const checkPeriod = (
  startAt: DateTime.Utc,
  endAt: DateTime.Utc,
  path: ReadonlyArray<string | number> = ["body"]
): ValidationFailed | undefined =>
  DateTime.isGreaterThan(endAt, startAt)
    ? undefined
    : new ValidationFailed({ errors: [{ path: [...path, "endAt"], message: "must be after startAt" }] })

/**
 * Whether `inner` lies within `[startsAt, endsAt)`, each bound applying only when set.
 *
 * @since 0.1.0
 * @category rules
 */
export const within = (
  inner: Interval,
  bounds: { readonly startsAt: DateTime.Utc | null; readonly endsAt: DateTime.Utc | null }
): boolean =>
  (bounds.startsAt === null || !DateTime.isLessThan(inner.startAt, bounds.startsAt)) &&
  (bounds.endsAt === null || !DateTime.isGreaterThan(inner.endAt, bounds.endsAt))

/**
 * Whole minutes between the start and the end of an interval.
 *
 * @since 0.1.0
 * @category rules
 */
export const minutesOf = (interval: Interval): number =>
  Math.floor((DateTime.toEpochMillis(interval.endAt) - DateTime.toEpochMillis(interval.startAt)) / 60_000)
