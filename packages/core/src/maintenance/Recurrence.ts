/**
 * When a maintenance plan falls due: every N days, weeks or months at a wall-clock time, or on a
 * cron expression, always in the org's time zone. Occurrences are computed from the plan's
 * first day (the k-th one directly, never by adding to the previous one), so they neither drift
 * across daylight-saving changes nor pile up month-end clamping (31 Jan, 28 Feb, 31 Mar...).
 *
 * A wall-clock time that does not exist on a day (02:30 on the spring-forward night) falls on
 * the first instant after the gap, one hour later on the clock; a time that happens twice (02:30
 * on the fall-back night) is taken once, at its first occurrence.
 *
 * @since 0.1.0
 */
import { Cron, DateTime, Result, Schema } from "effect"
import {
  addMonths,
  type Day,
  dayNumber,
  fromDayNumber,
  instantOf,
  type LocalDate,
  type LocalTime,
  localDay,
  parseDate
} from "../kernel/Calendar.ts"

export {
  /** @since 0.1.0 */
  instantOf,
  /** @since 0.1.0 */
  isTimeZone,
  /** @since 0.1.0 */
  LocalDate,
  /** @since 0.1.0 */
  LocalTime,
  /** @since 0.1.0 */
  localDay
} from "../kernel/Calendar.ts"

/**
 * A cron expression as effect's `Cron` reads it: five fields (minute first) or six (seconds
 * first).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CronExpression = Schema.String.check(
  Schema.isBetweenLength(9, 200),
  Schema.makeFilter((text: string) => Result.isSuccess(Cron.parse(text)) || "must be a cron expression")
)

/**
 * Every `every` days, weeks or months from the plan's first day, at its time of day.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Every = Schema.Struct({
  type: Schema.Literal("interval"),
  every: Schema.Int.check(Schema.isBetween({ minimum: 1, maximum: 366 })),
  unit: Schema.Literals(["day", "week", "month"])
})

/**
 * On each instant a cron expression names, from the plan's first day on.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OnCron = Schema.Struct({
  type: Schema.Literal("cron"),
  expression: CronExpression
})

/**
 * @since 0.1.0
 * @category schemas
 */
export const Recurrence = Schema.Union([Every, OnCron])
/** @since 0.1.0 @category models */
export type Recurrence = typeof Recurrence.Type

/**
 * Everything the computation needs: the recurrence, the first day and time of day, and the zone.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rule {
  readonly recurrence: Recurrence
  readonly startsOn: LocalDate
  /** Ignored by cron recurrences, whose expression holds the time. */
  readonly at: LocalTime
  /** An IANA zone name, `Europe/Paris`. */
  readonly timeZone: string
}

const dayOf = (recurrence: typeof Every.Type, start: Day, index: number): Day =>
  recurrence.unit === "month"
    ? addMonths(start, index * recurrence.every)
    : fromDayNumber(dayNumber(start) + index * recurrence.every * (recurrence.unit === "week" ? 7 : 1))

/**
 * The first occurrence at or after `from`.
 *
 * @since 0.1.0
 * @category rules
 */
export const nextAtOrAfter = (rule: Rule, from: DateTime.Utc): DateTime.Utc => {
  const start = parseDate(rule.startsOn)
  const { recurrence, timeZone } = rule
  if (recurrence.type === "cron") {
    const cron = Cron.parseUnsafe(recurrence.expression, timeZone)
    const firstDay = instantOf(start, "00:00", timeZone)
    const after = Math.max(DateTime.toEpochMillis(from), DateTime.toEpochMillis(firstDay)) - 1
    return DateTime.makeUnsafe(Cron.next(cron, new Date(after)))
  }
  const fromMillis = DateTime.toEpochMillis(from)
  // Start a little before the day `from` falls on (a zone's offset is under a day), then step.
  const target = dayNumber(localDay(from, timeZone)) - 2
  const span =
    recurrence.unit === "month"
      ? 31 * recurrence.every
      : recurrence.every * (recurrence.unit === "week" ? 7 : 1)
  let index = Math.max(0, Math.floor((target - dayNumber(start)) / span) - 1)
  while (true) {
    const instant = instantOf(dayOf(recurrence, start, index), rule.at, timeZone)
    if (DateTime.toEpochMillis(instant) >= fromMillis) return instant
    index++
  }
}

/**
 * The first occurrence strictly after `instant`.
 *
 * @since 0.1.0
 * @category rules
 */
export const nextAfter = (rule: Rule, instant: DateTime.Utc): DateTime.Utc =>
  nextAtOrAfter(rule, DateTime.makeUnsafe(DateTime.toEpochMillis(instant) + 1))

/**
 * The `count` first occurrences at or after `from`, in order.
 *
 * @since 0.1.0
 * @category rules
 */
export const upcoming = (rule: Rule, from: DateTime.Utc, count: number): Array<DateTime.Utc> => {
  const out: Array<DateTime.Utc> = []
  let next = nextAtOrAfter(rule, from)
  while (out.length < count) {
    out.push(next)
    next = nextAfter(rule, next)
  }
  return out
}

/**
 * The occurrences in `[from, to)`, in order, at most `limit`.
 *
 * @since 0.1.0
 * @category rules
 */
export const between = (
  rule: Rule,
  from: DateTime.Utc,
  to: DateTime.Utc,
  limit: number
): Array<DateTime.Utc> => {
  const out: Array<DateTime.Utc> = []
  const end = DateTime.toEpochMillis(to)
  let next = nextAtOrAfter(rule, from)
  while (out.length < limit && DateTime.toEpochMillis(next) < end) {
    out.push(next)
    next = nextAfter(rule, next)
  }
  return out
}
