/**
 * Calendar days and wall-clock times in a time zone: the arithmetic every recurrence uses
 * (maintenance plans, recurring bookings). Days are counted, never built by adding
 * milliseconds, so daylight-saving changes move no occurrence off its wall-clock time.
 *
 * @since 0.1.0
 */
import { DateTime, Schema } from "effect"

/**
 * A calendar day, `YYYY-MM-DD`, between years 1970 and 9999.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocalDate = Schema.String.check(
  Schema.isPattern(/^(19[7-9]\d|[2-9]\d{3})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    message: "must be a date YYYY-MM-DD"
  }),
  Schema.makeFilter((text: string) => {
    const [year, month, day] = text.split("-").map(Number) as [number, number, number]
    return new Date(Date.UTC(year, month - 1, day)).getUTCDate() === day || "must be a day of the calendar"
  })
)
/** @since 0.1.0 @category schemas */
export type LocalDate = typeof LocalDate.Type

/**
 * A wall-clock time of day, `HH:MM` (24 hours).
 *
 * @since 0.1.0
 * @category schemas
 */
export const LocalTime = Schema.String.check(
  Schema.isPattern(/^([01]\d|2[0-3]):[0-5]\d$/, { message: "must be a time HH:MM" })
)
/** @since 0.1.0 @category schemas */
export type LocalTime = typeof LocalTime.Type

/**
 * A calendar day as numbers (month 1-12).
 *
 * @since 0.1.0
 * @category models
 */
export interface Day {
  readonly year: number
  readonly month: number
  readonly day: number
}

/**
 * The day a `YYYY-MM-DD` text names.
 *
 * @since 0.1.0
 * @category rules
 */
export const parseDate = (text: LocalDate): Day => {
  const [year, month, day] = text.split("-").map(Number) as [number, number, number]
  return { year, month, day }
}

/**
 * Days since 1970-01-01: consecutive days have consecutive numbers.
 *
 * @since 0.1.0
 * @category rules
 */
export const dayNumber = (day: Day): number => Date.UTC(day.year, day.month - 1, day.day) / 86_400_000

/**
 * The day of a {@link dayNumber}.
 *
 * @since 0.1.0
 * @category rules
 */
export const fromDayNumber = (days: number): Day => {
  const date = new Date(days * 86_400_000)
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }
}

/**
 * How many days a month (1-12) of a year has.
 *
 * @since 0.1.0
 * @category rules
 */
export const daysInMonth = (year: number, month: number): number =>
  new Date(Date.UTC(year, month, 0)).getUTCDate()

/**
 * The day `months` months after `start`, keeping its day of month, clamped to the month's last
 * day (31 Jan + 1 month is 28 or 29 Feb).
 *
 * @since 0.1.0
 * @category rules
 */
export const addMonths = (start: Day, months: number): Day => {
  const index = start.year * 12 + (start.month - 1) + months
  const year = Math.floor(index / 12)
  const month = (index % 12) + 1
  return { year, month, day: Math.min(start.day, daysInMonth(year, month)) }
}

/**
 * The instant a wall-clock time of a day has in the zone: a time in the spring-forward gap
 * moves past it, a repeated time is its first occurrence.
 *
 * @since 0.1.0
 * @category rules
 */
export const instantOf = (day: Day, at: LocalTime, timeZone: string): DateTime.Utc => {
  const [hour, minute] = at.split(":").map(Number) as [number, number]
  return DateTime.toUtc(
    DateTime.makeZonedUnsafe(
      { year: day.year, month: day.month, day: day.day, hour, minute },
      { timeZone, adjustForTimeZone: true, disambiguation: "compatible" }
    )
  )
}

/**
 * The local day an instant falls on in the zone.
 *
 * @since 0.1.0
 * @category rules
 */
export const localDay = (instant: DateTime.Utc, timeZone: string): Day => {
  const parts = DateTime.toParts(DateTime.makeZonedUnsafe(instant, { timeZone }))
  return { year: parts.year, month: parts.month, day: parts.day }
}

/**
 * The `YYYY-MM-DD` text of a day.
 *
 * @since 0.1.0
 * @category rules
 */
export const formatDate = (day: Day): LocalDate =>
  `${String(day.year).padStart(4, "0")}-${String(day.month).padStart(2, "0")}-${String(day.day).padStart(2, "0")}`

/**
 * The wall-clock time, `HH:MM`, of an instant in the zone; seconds are dropped.
 *
 * @since 0.1.0
 * @category rules
 */
export const localTime = (instant: DateTime.Utc, timeZone: string): LocalTime => {
  const parts = DateTime.toParts(DateTime.makeZonedUnsafe(instant, { timeZone }))
  return `${String(parts.hour).padStart(2, "0")}:${String(parts.minute).padStart(2, "0")}`
}

/**
 * Whether the zone is one the runtime knows.
 *
 * @since 0.1.0
 * @category rules
 */
export const isTimeZone = (timeZone: string): boolean => DateTime.zoneMakeNamed(timeZone)._tag === "Some"
