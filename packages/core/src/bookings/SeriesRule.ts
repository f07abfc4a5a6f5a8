/**
 * The recurrence of a booking series: a subset of RFC 5545 `RRULE` (`FREQ=DAILY|WEEKLY|MONTHLY`,
 * `INTERVAL`, `BYDAY` for weekly rules, `COUNT` or `UNTIL`) plus `EXDATE`-style exceptions, read
 * in the org's time zone. Each occurrence keeps the first one's wall-clock start and end, and is
 * computed from the first day directly (never by adding to the previous one), so occurrences
 * neither drift across daylight-saving changes nor pile up at month ends.
 *
 * As RFC 5545 says, a monthly rule skips the months without the first day's day of month (the
 * 31st), `COUNT` counts the occurrences before exceptions are taken out, and `UNTIL` is
 * inclusive.
 *
 * @since 0.1.0
 */
import { DateTime, Result } from "effect"
import * as Calendar from "../kernel/Calendar.ts"
import type { Interval } from "../ledger/Interval.ts"

/**
 * The most occurrences one series may have, exceptions included: a year of daily bookings.
 *
 * @since 0.1.0
 * @category constants
 */
export const maxOccurrences = 366

const weekdays = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"] as const

/**
 * A parsed rule.
 *
 * @since 0.1.0
 * @category models
 */
export interface Rule {
  readonly freq: "DAILY" | "WEEKLY" | "MONTHLY"
  readonly interval: number
  /** Weekdays, 0 for Monday to 6 for Sunday, in week order; empty: the first day's weekday. */
  readonly byDay: ReadonlyArray<number>
  readonly count: number | undefined
  /** The last instant an occurrence may start at. */
  readonly until: DateTime.Utc | undefined
}

const untilOf = (text: string, timeZone: string): DateTime.Utc | undefined => {
  const match = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})Z)?$/.exec(text)
  if (match === null) return undefined
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (Calendar.daysInMonth(year, month) < day || month < 1 || month > 12 || day < 1) return undefined
  if (match[4] === undefined) {
    // A date alone: the whole of that day in the org's zone.
    const next = Calendar.fromDayNumber(Calendar.dayNumber({ year, month, day }) + 1)
    return DateTime.makeUnsafe(DateTime.toEpochMillis(Calendar.instantOf(next, "00:00", timeZone)) - 1)
  }
  return DateTime.makeUnsafe(
    Date.UTC(year, month - 1, day, Number(match[4]), Number(match[5]), Number(match[6]))
  )
}

type Parts = Readonly<Record<string, string>>

const partsOf = (text: string): Result.Result<Parts, string> => {
  const parts: Record<string, string> = {}
  for (const part of text.replace(/^RRULE:/i, "").split(";")) {
    const [name, value, ...rest] = part.split("=")
    if (name === undefined || value === undefined || value === "" || rest.length > 0)
      return Result.fail(`"${part}" is not NAME=VALUE`)
    const key = name.toUpperCase()
    if (parts[key] !== undefined) return Result.fail(`${key} is given twice`)
    parts[key] = value.toUpperCase()
  }
  return Result.succeed(parts)
}

const positive = (
  text: string | undefined,
  name: string,
  max: number
): Result.Result<number | undefined, string> => {
  if (text === undefined) return Result.succeed(undefined)
  const value = Number(text)
  return /^\d+$/.test(text) && value >= 1 && value <= max
    ? Result.succeed(value)
    : Result.fail(`${name} must be a whole number from 1 to ${max}`)
}

const byDayOf = (text: string | undefined): Result.Result<ReadonlyArray<number>, string> => {
  if (text === undefined) return Result.succeed([])
  const days = text.split(",").map((day) => weekdays.indexOf(day as (typeof weekdays)[number]))
  if (days.some((day) => day === -1)) return Result.fail("BYDAY must list MO, TU, WE, TH, FR, SA or SU")
  return Result.succeed([...new Set(days)].sort((a, b) => a - b))
}

const supported = new Set(["FREQ", "INTERVAL", "BYDAY", "COUNT", "UNTIL"])

/**
 * Reads a rule, or says in one sentence what is wrong with it.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string, timeZone: string): Result.Result<Rule, string> =>
  Result.gen(function* () {
    const parts = yield* partsOf(text)
    const unknown = Object.keys(parts).find((key) => !supported.has(key))
    if (unknown !== undefined) return yield* Result.fail(`${unknown} is not supported`)
    const freq = parts.FREQ
    if (freq !== "DAILY" && freq !== "WEEKLY" && freq !== "MONTHLY")
      return yield* Result.fail("FREQ must be DAILY, WEEKLY or MONTHLY")
    const interval = (yield* positive(parts.INTERVAL, "INTERVAL", 366)) ?? 1
    const count = yield* positive(parts.COUNT, "COUNT", maxOccurrences)
    const byDay = yield* byDayOf(parts.BYDAY)
    if (byDay.length > 0 && freq !== "WEEKLY")
      return yield* Result.fail("BYDAY is supported with FREQ=WEEKLY only")
    if ((count === undefined) === (parts.UNTIL === undefined))
      return yield* Result.fail("give exactly one of COUNT and UNTIL")
    const until = parts.UNTIL === undefined ? undefined : untilOf(parts.UNTIL, timeZone)
    if (parts.UNTIL !== undefined && until === undefined)
      return yield* Result.fail("UNTIL must be YYYYMMDD or YYYYMMDDTHHMMSSZ")
    return { freq, interval, byDay, count, until }
  })

/**
 * The first occurrence, as the client gave it, and where the series happens.
 *
 * @since 0.1.0
 * @category models
 */
export interface First {
  readonly startAt: DateTime.Utc
  readonly endAt: DateTime.Utc
  readonly timeZone: string
}

/**
 * One occurrence: its local day, its interval, and whether an exception takes it out.
 *
 * @since 0.1.0
 * @category models
 */
export interface Occurrence {
  readonly date: Calendar.LocalDate
  readonly interval: Interval
  readonly excepted: boolean
}

// Monday is 0: the week of RFC 5545's default WKST=MO.
const weekdayOf = (day: number): number => (((day + 3) % 7) + 7) % 7

// The k-th candidate day of the rule, or undefined when that period has no such day.
const candidates = (rule: Rule, start: Calendar.Day): ((period: number) => ReadonlyArray<Calendar.Day>) => {
  const first = Calendar.dayNumber(start)
  if (rule.freq === "DAILY") return (period) => [Calendar.fromDayNumber(first + period * rule.interval)]
  if (rule.freq === "MONTHLY")
    return (period) => {
      const day = Calendar.addMonths(start, period * rule.interval)
      return day.day === start.day ? [day] : []
    }
  const days = rule.byDay.length > 0 ? rule.byDay : [weekdayOf(first)]
  const monday = first - weekdayOf(first)
  return (period) =>
    days
      .map((weekday) => monday + period * 7 * rule.interval + weekday)
      .filter((day) => day >= first)
      .map(Calendar.fromDayNumber)
}

const millis = DateTime.toEpochMillis

/**
 * Every occurrence of the rule, in order, exceptions included and marked; fails when there
 * would be more than {@link maxOccurrences}.
 *
 * @since 0.1.0
 * @category rules
 */
export const expand = (
  rule: Rule,
  first: First,
  exceptions: ReadonlyArray<Calendar.LocalDate>
): Result.Result<Array<Occurrence>, string> => {
  const { timeZone } = first
  const start = Calendar.localDay(first.startAt, timeZone)
  const startTime = Calendar.localTime(first.startAt, timeZone)
  const endTime = Calendar.localTime(first.endAt, timeZone)
  const endOffset = Calendar.dayNumber(Calendar.localDay(first.endAt, timeZone)) - Calendar.dayNumber(start)
  const length = millis(first.endAt) - millis(first.startAt)
  const excepted = new Set(exceptions)
  const daysOf = candidates(rule, start)
  const out: Array<Occurrence> = []
  // A monthly rule on the 31st finds a day at least every other month; 12 idle periods end it.
  for (let period = 0, idle = 0; idle < 12; period++) {
    const days = daysOf(period)
    idle = days.length === 0 ? idle + 1 : 0
    for (const day of days) {
      const startAt = Calendar.instantOf(day, startTime, timeZone)
      if (rule.until !== undefined && millis(startAt) > millis(rule.until)) return Result.succeed(out)
      if (rule.count !== undefined && out.length === rule.count) return Result.succeed(out)
      if (out.length === maxOccurrences)
        return Result.fail(`a series has at most ${maxOccurrences} occurrences, exceptions included`)
      const endDay = Calendar.fromDayNumber(Calendar.dayNumber(day) + endOffset)
      const wallEnd = Calendar.instantOf(endDay, endTime, timeZone)
      // A daylight-saving change can fold a short wall-clock span to nothing: keep its length then.
      const endAt =
        millis(wallEnd) > millis(startAt) ? wallEnd : DateTime.makeUnsafe(millis(startAt) + length)
      const date = Calendar.formatDate(day)
      out.push({ date, interval: { startAt, endAt }, excepted: excepted.has(date) })
    }
  }
  return Result.succeed(out)
}
