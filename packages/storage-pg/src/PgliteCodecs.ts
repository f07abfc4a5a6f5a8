/**
 * How PGlite's parameters and rows are made to match `@effect/sql-pg`: each parameter typed as
 * sql-pg types it, and each row value read from PGlite's text into what sql-pg's binary codecs
 * return (`int8` as `bigint`, timestamps as `Date`, `interval` as `{ months, days, microseconds }`).
 *
 * @since 0.1.0
 */
import { PgTypes } from "@effect/sql-pg"
import { Effect, Predicate } from "effect"
import { SqlError } from "effect/sql"

// --- parameters -----------------------------------------------------------------------------

const { OID } = PgTypes
const INT32_MIN = -2147483648
const INT32_MAX = 2147483647

/**
 * Types each parameter as sql-pg does, so a statement resolves the same on both: strings and
 * nulls stay untyped for the server to infer, everything else names its type.
 */
const inferScalar = (value: unknown): readonly [oid: number, value: unknown] => {
  if (PgTypes.isParameter(value)) {
    return [value.oid, value.value === null ? null : toText(value.oid, value.value)]
  }
  if (value === null || value === undefined) return [0, null]
  switch (typeof value) {
    case "boolean":
      return [OID.bool, value]
    case "bigint":
      return [OID.int8, value]
    case "number":
      if (Number.isInteger(value)) {
        if (value >= INT32_MIN && value <= INT32_MAX) return [OID.int4, value]
        if (Number.isSafeInteger(value)) return [OID.int8, BigInt(value)]
      }
      return [OID.float8, value]
    case "string":
      return [0, value]
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new Error("timestamp cannot be an invalid Date")
    return [OID.timestamptz, value]
  }
  if (value instanceof Uint8Array) return [OID.bytea, value]
  if (value instanceof Int8Array) {
    return [OID.bytea, new Uint8Array(value.buffer, value.byteOffset, value.byteLength)]
  }
  throw new Error(`Cannot infer a PostgreSQL type for ${String(value)}`)
}

const inferParameter = (value: unknown): readonly [oid: number, value: unknown] => {
  if (!Array.isArray(value)) return inferScalar(value)
  // Like a string, an empty array is left for the server to type.
  if (value.length === 0) return [0, "{}"]
  let elementOid: number | undefined
  const elements = value.map((element: unknown) => {
    if (Array.isArray(element)) throw new Error("Nested array parameters are not supported")
    const [inferred, encoded] = inferScalar(element)
    if (encoded === null) return null
    const oid = inferred === 0 ? OID.text : inferred
    if (elementOid === undefined) elementOid = oid
    else if (elementOid !== oid) throw new Error("Array parameter elements must have the same inferred OID")
    return encoded
  })
  if (elementOid === undefined) {
    throw new Error("Cannot infer the type of an array containing only null values")
  }
  const arrayOid = PgTypes.arrayOidFor(elementOid)
  if (arrayOid === undefined) throw new Error(`No array type known for element OID ${elementOid}`)
  return [arrayOid, elements]
}

/**
 * @since 0.1.0
 * @category codecs
 */
export const encodeParameters = (params: ReadonlyArray<unknown>) =>
  Effect.try({
    try: () => {
      const types: Array<number> = []
      const values: Array<unknown> = []
      for (const param of params) {
        const [oid, value] = inferParameter(param)
        types.push(oid)
        values.push(value)
      }
      return { types, values }
    },
    catch: (cause) =>
      new SqlError.SqlError({
        reason: new SqlError.UnknownError({
          cause,
          message: "PgliteClient: Failed to encode query",
          operation: "query"
        })
      })
  })

/** Explicit `PgTypes` parameters whose value PGlite's serializers would not write as sql-pg does. */
const toText = (oid: number, value: unknown): unknown => {
  switch (oid) {
    case OID.json:
    case OID.jsonb: {
      const text = JSON.stringify(value)
      if (text === undefined) throw new Error("Value cannot be serialised as JSON")
      return text
    }
    case OID.time:
      return typeof value === "bigint" ? formatTime(value) : value
    case OID.interval:
      return isInterval(value)
        ? `${value.months} mons ${value.days} days ${value.microseconds} microseconds`
        : value
    default:
      return value
  }
}

const isInterval = (value: unknown): value is PgTypes.Interval =>
  Predicate.hasProperty(value, "months") &&
  Predicate.hasProperty(value, "days") &&
  Predicate.hasProperty(value, "microseconds")

const pad = (value: number | bigint, size = 2): string => String(value).padStart(size, "0")

const formatTime = (micros: bigint): string => {
  const seconds = micros / 1_000_000n
  return `${pad(seconds / 3600n)}:${pad((seconds / 60n) % 60n)}:${pad(seconds % 60n)}.${pad(micros % 1_000_000n, 6)}`
}

// Untyped string parameters reach these types when the server infers them; sql-pg sends the
// string as it is, where PGlite's own serializers would reinterpret (bool) or reject (bytea) it.
/**
 * @since 0.1.0
 * @category codecs
 */
export const serializers = {
  [OID.bool]: (value: unknown) => (typeof value === "boolean" ? (value ? "t" : "f") : String(value)),
  [OID.bytea]: (value: unknown) =>
    value instanceof Uint8Array
      ? `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`
      : String(value)
}

// --- rows -----------------------------------------------------------------------------------

/** ISO years: 1 BC is year 0, as sql-pg formats them. */
const isoYear = (year: string, bc: boolean): number => (bc ? 1 - Number(year) : Number(year))

const formatIsoYear = (year: number): string => (year < 0 ? `-${pad(-year, 4)}` : pad(year, 4))

const dateText = /^(\d{4,})-(\d\d)-(\d\d)( BC)?$/

const parseDate = (text: string): string => {
  const match = dateText.exec(text)
  if (match === null) return text // infinity, -infinity
  const [, year = "", month, day, bc] = match
  return `${formatIsoYear(isoYear(year, bc !== undefined))}-${month}-${day}`
}

const timestampText =
  /^(?<year>\d{4,})-(?<month>\d\d)-(?<day>\d\d) (?<clock>[\d:]+)(?:\.(?<fraction>\d+))?(?<zone>[+-][\d:]+)?(?<bc> BC)?$/

const PG_EPOCH_MS = 946_684_800_000

/**
 * sql-pg counts microseconds from 2000-01-01 and truncates them to milliseconds towards that
 * epoch; doing the same keeps sub-millisecond values identical on both.
 */
const parseTimestamp = (text: string): Date => {
  const parts = timestampText.exec(text)?.groups
  // infinity and -infinity, which sql-pg reads as an Invalid Date
  if (parts === undefined) return new Date(Number.NaN)
  const civil = new Date(0)
  civil.setUTCFullYear(
    isoYear(parts.year ?? "", parts.bc !== undefined),
    Number(parts.month) - 1,
    Number(parts.day)
  )
  const zone =
    parts.zone === undefined ? 0 : (parts.zone.startsWith("-") ? -1 : 1) * seconds(parts.zone.slice(1))
  const micros =
    (civil.getTime() + (seconds(parts.clock ?? "") - zone) * 1000 - PG_EPOCH_MS) * 1000 +
    Number((parts.fraction ?? "").padEnd(6, "0"))
  return new Date(Math.trunc(micros / 1000) + PG_EPOCH_MS)
}

/** `HH[:MM[:SS]]` in seconds. */
const seconds = (clock: string): number => {
  const [hours = 0, minutes = 0, secs = 0] = clock.split(":").map(Number)
  return hours * 3600 + minutes * 60 + secs
}

const parseTimeOfDay = (text: string): bigint => {
  const [clock = "", fraction = ""] = text.split(".")
  return BigInt(seconds(clock) * 1_000_000 + Number(fraction.padEnd(6, "0")))
}

/** `12:30:00.5+05:30`, `10:00:00+02` become sql-pg's `12:30:00.5+05:30`, `10:00:00+02:00`. */
const formatTimetz = (text: string): string => {
  const match = /^(.*?)([+-]\d\d)(?::(\d\d))?(?::\d\d)?$/.exec(text)
  return match === null ? text : `${match[1]}${match[2]}:${match[3] ?? "00"}`
}

const intervalPart = /([+-]?\d+) (year|mon|day)s?|([+-]?)(\d+):(\d\d):(\d\d)(?:\.(\d{1,6}))?/g

/** Reads the default `postgres` IntervalStyle, e.g. `1 year 2 mons -3 days +04:05:06.789`. */
const parseInterval = (text: string): PgTypes.Interval => {
  let months = 0
  let days = 0
  let microseconds = 0n
  for (const [, amount, unit, sign, hours, minutes, secs, fraction = ""] of text.matchAll(intervalPart)) {
    if (unit === "year") months += Number(amount) * 12
    else if (unit === "mon") months += Number(amount)
    else if (unit === "day") days += Number(amount)
    else {
      const clock =
        (BigInt(hours ?? 0) * 3600n + BigInt(minutes ?? 0) * 60n + BigInt(secs ?? 0)) * 1_000_000n +
        BigInt(fraction.padEnd(6, "0"))
      microseconds += sign === "-" ? -clock : clock
    }
  }
  return { months, days, microseconds }
}

// PGlite reads rows as text; these turn the text into what sql-pg's binary codecs return. Types
// not listed already match (PGlite's defaults), arrays reuse their element's parser.
/**
 * @since 0.1.0
 * @category codecs
 */
export const parsers = {
  [OID.int8]: (text: string) => BigInt(text),
  [OID.float4]: (text: string) => Math.fround(Number(text)),
  [OID.date]: parseDate,
  [OID.timestamp]: parseTimestamp,
  [OID.timestamptz]: parseTimestamp,
  [OID.time]: parseTimeOfDay,
  [OID.timetz]: formatTimetz,
  [OID.interval]: parseInterval
}
