/**
 * Instants as clients write them: strict RFC 3339 (`2026-03-01T09:30:00Z`,
 * `2026-03-01T10:30:00.250+01:00`). A real calendar date in years 0001-9999 and an explicit offset
 * are required; JavaScript's lenient parsing (Feb 30 rolling into March, no offset read as local
 * or UTC time, `+010000` years) is not used.
 *
 * @since 0.1.0
 */
import { DateTime, Schema, SchemaTransformation } from "effect"

const rfc3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/

const firstMillis = new Date("0001-01-01T00:00:00Z").getTime()
const lastMillis = new Date("9999-12-31T23:59:59.999Z").getTime()

/**
 * Whether epoch milliseconds fall in years 0001-9999 (UTC), the range every stored instant keeps to.
 *
 * @since 0.1.0
 * @category rules
 */
export const isInRange = (millis: number): boolean => millis >= firstMillis && millis <= lastMillis

/**
 * `instant`, or the nearest end of years 0001-9999 when outside them: for an end a query leaves
 * out and a rule fills in some days away from the given one.
 *
 * @since 0.1.0
 * @category rules
 */
export const clamp = (instant: DateTime.Utc): DateTime.Utc => {
  const millis = DateTime.toEpochMillis(instant)
  return millis < firstMillis
    ? DateTime.makeUnsafe(firstMillis)
    : millis > lastMillis
      ? DateTime.makeUnsafe(lastMillis)
      : instant
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0

/**
 * The number of days of `month` (1-12) in `year`.
 *
 * @since 0.1.0
 * @category rules
 */
export const daysInMonth = (year: number, month: number): number =>
  month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31

/**
 * Whether year, month and day name a day of the calendar, in years 0001-9999.
 *
 * @since 0.1.0
 * @category rules
 */
export const isCalendarDate = (year: number, month: number, day: number): boolean =>
  year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)

/**
 * The epoch milliseconds of a strict RFC 3339 date-time, or `undefined` when `text` is not one
 * (wrong shape, no offset, no such day or time, or outside years 0001-9999 once in UTC). Digits
 * past milliseconds are dropped.
 *
 * @since 0.1.0
 * @category rules
 */
export const parse = (text: string): number | undefined => {
  const match = rfc3339.exec(text)
  if (match === null) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number
  ]
  if (!isCalendarDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined
  const offsetHours = match[10] === undefined ? 0 : Number(match[10])
  const offsetMinutes = match[11] === undefined ? 0 : Number(match[11])
  if (offsetHours > 23 || offsetMinutes > 59) return undefined
  const millis = Number((match[7] ?? "").padEnd(3, "0").slice(0, 3))
  const date = new Date(0)
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  date.setUTCFullYear(year, month - 1, day)
  date.setUTCHours(hour, minute, second, millis)
  const sign = match[9] === "-" ? -1 : 1
  const utc = date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000
  return isInRange(utc) ? utc : undefined
}

const message = "Expected an RFC 3339 date-time with an offset, such as 2026-03-01T09:30:00Z"

/**
 * A strict RFC 3339 date-time string.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Rfc3339 = Schema.String.pipe(
  Schema.check(Schema.makeFilter((text: string) => parse(text) !== undefined || message))
)

const fromRfc3339 = SchemaTransformation.transform<DateTime.Utc, string>({
  decode: (text) => DateTime.makeUnsafe(parse(text) ?? Number.NaN),
  encode: DateTime.formatIso
})

/**
 * An instant written as a strict RFC 3339 string, for query parameters.
 *
 * @since 0.1.0
 * @category schemas
 */
export const TimestampFromString = Rfc3339.pipe(Schema.decodeTo(Schema.DateTimeUtc, fromRfc3339))

/**
 * A `DateTime.Utc` whose JSON form is a strict RFC 3339 string, for the instants of bodies.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Timestamp = Schema.DateTimeUtc.annotate({
  toCodecJson: () => Schema.link<DateTime.Utc>()(Rfc3339, fromRfc3339)
})
