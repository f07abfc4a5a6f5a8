/**
 * An Effect `SqlClient` on PGlite, PostgreSQL compiled to wasm and run in-process, so Rota runs
 * with no database server. Repository code written against `SqlClient` runs unchanged here and
 * on `@effect/sql-pg`: the statement compiler is sql-pg's (dialect `pg`), failures carry the same
 * `SqlError` reasons with the raw server error as `cause`, parameters are typed the way sql-pg
 * types them, and rows decode to the same JavaScript values (`int8` as `bigint`, `numeric` and
 * `date` as strings, timestamps as `Date`, `interval` as `{ months, days, microseconds }`...).
 *
 * Remaining differences from `@effect/sql-pg` 4.0.5:
 * - Types sql-pg has no codec for (ranges such as `tstzrange`, multiranges, geometric types,
 *   composites, `money`) read here as PostgreSQL's text, while sql-pg fails to decode ranges
 *   ("Invalid UTF-8 in text value") or returns bytes. Select them as `during::text`,
 *   `lower(during)`..., which read the same on both.
 * - `regclass` reads as the relation's name here and as its oid number on sql-pg.
 * - `sql.json`, `listen` and `notify` exist only on `PgClient`; `PgTypes.jsonb(value)` is a
 *   parameter both accept. Other explicit `PgTypes` parameters work, except arrays of json.
 * - A `Date` parameter beyond year 9999 fails here (it is sent as ISO text).
 * - `statement.raw` returns PGlite's `Results`: `command`, `rowCount` and `rows` as on sql-pg,
 *   `fields` shaped differently, no `oid`.
 * - Reason messages say `PgliteClient: ...` where sql-pg's say `PgConnection: ...`.
 * - `SqlClient.driver` is `"pglite"`; sql-pg 4.0.5 leaves it unset.
 *
 * @since 0.1.0
 */
import { PgClient, PgTypes } from "@effect/sql-pg"
import { PGlite, type Results } from "@electric-sql/pglite"
import { btree_gist } from "@electric-sql/pglite/contrib/btree_gist"
import { Context, Duration, Effect, Layer, Predicate, Semaphore, Stream } from "effect"
import * as Reactivity from "effect/reactivity/Reactivity"
import { SqlClient, type SqlConnection, SqlError } from "effect/sql"
import * as Deadlines from "./Deadlines.ts"

/**
 * The PGlite instance behind the client, for tests and tools that need it directly.
 *
 * @since 0.1.0
 * @category services
 */
export class PgliteClient extends Context.Service<PgliteClient, { readonly pglite: PGlite }>()(
  "@rota/storage-pg/PgliteClient"
) {}

/**
 * Opens PGlite in `dataDir` (in memory when unset) with `btree_gist` created, provides it as
 * `SqlClient`, and closes it when the layer's scope closes. With `acquireTimeout`, a statement or
 * transaction that finds the session busy for that long fails with a `ConnectionError`.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: {
  readonly dataDir?: string | undefined
  readonly acquireTimeout?: Duration.Duration | undefined
}): Layer.Layer<PgliteClient | SqlClient.SqlClient, SqlError.SqlError> =>
  Layer.effectContext(
    Effect.gen(function* () {
      const pglite = yield* Effect.acquireRelease(open(options.dataDir), (pglite) =>
        Effect.ignore(
          Effect.tryPromise(() => pglite.close()),
          { log: true }
        )
      )
      yield* run(pglite, "CREATE EXTENSION IF NOT EXISTS btree_gist", [])
      const sql = yield* makeClient(pglite, options.acquireTimeout)
      return Context.make(PgliteClient, { pglite }).pipe(Context.add(SqlClient.SqlClient, sql))
    })
  ).pipe(Layer.provide(Reactivity.layer))

const open = (dataDir: string | undefined): Effect.Effect<PGlite, SqlError.SqlError> =>
  Effect.tryPromise({
    try: () =>
      PGlite.create({
        ...(dataDir === undefined ? {} : { dataDir }),
        extensions: { btree_gist },
        parsers,
        serializers
      }),
    catch: (cause) =>
      new SqlError.SqlError({
        reason: new SqlError.ConnectionError({
          cause,
          message: "PgliteClient: Failed to open the database",
          operation: "connect"
        })
      })
  })

const makeClient = Effect.fnUntraced(function* (
  pglite: PGlite,
  acquireTimeout: Duration.Duration | undefined
) {
  // PGlite is a single session: a statement, a reserved connection or a whole transaction (BEGIN
  // to COMMIT/ROLLBACK) holds the only permit, so no other fiber's statement lands in between.
  const semaphore = yield* Semaphore.make(1)
  const connection = makeConnection(pglite)
  // PGlite enforces no statement_timeout (it has no timer to interrupt itself with) and cannot
  // cancel a running statement, so the wait for the session is the one bound it can keep.
  // The permit is released by the lease's scope, which the semaphore ties to the take itself, so
  // a take that wins its race against the timeout cannot be lost.
  const take =
    acquireTimeout === undefined || !Deadlines.isOn(acquireTimeout)
      ? semaphore.takeScoped(1)
      : Effect.timeoutOrElse(semaphore.takeScoped(1), {
          duration: acquireTimeout,
          orElse: () => Effect.fail(busy(acquireTimeout))
        })
  // An interrupted statement still runs to its end inside PGlite, ahead of anything queued after
  // it there, so a permit released early cannot mix two sessions' statements either.
  const lease = Effect.as(take, connection)
  return yield* SqlClient.make({
    acquirer: lease,
    borrower: (f) => Effect.scoped(Effect.andThen(take, f(connection))),
    transactionAcquirer: lease,
    compiler: PgClient.makeCompiler(),
    driver: "pglite",
    commit: () => commit(pglite),
    releaseSavepoint: (name) => `RELEASE SAVEPOINT ${name}`,
    spanAttributes: [
      ["db.system.name", "postgresql"],
      ["db.namespace", "postgres"]
    ]
  })
})

type Row = Record<string, unknown>

const makeConnection = (pglite: PGlite): SqlConnection.Connection => {
  const rows = (sql: string, params: ReadonlyArray<unknown>) =>
    Effect.map(run(pglite, sql, params), (result) => result.rows)
  const values = (sql: string, params: ReadonlyArray<unknown>) =>
    Effect.map(run<ReadonlyArray<unknown>>(pglite, sql, params, "array"), (result) => result.rows)
  const execute = (
    sql: string,
    params: ReadonlyArray<unknown>,
    transformRows: (<A extends object>(rows: ReadonlyArray<A>) => ReadonlyArray<A>) | undefined
  ) => (transformRows === undefined ? rows(sql, params) : Effect.map(rows(sql, params), transformRows))
  return {
    execute,
    // PGlite always runs the unnamed statement, so prepared and unprepared are the same.
    executeUnprepared: execute,
    executeRaw: (sql, params) => run(pglite, sql, params),
    executeValues: values,
    executeValuesUnprepared: values,
    executeStream: (sql, params, transformRows) =>
      Stream.fromIterableEffect(execute(sql, params, transformRows))
  }
}

const run = <A = Row>(
  pglite: PGlite,
  sql: string,
  params: ReadonlyArray<unknown>,
  rowMode: "object" | "array" = "object"
): Effect.Effect<Results<A>, SqlError.SqlError> =>
  Effect.flatMap(encodeParameters(params), ({ types, values }) =>
    Effect.tryPromise({
      try: () => pglite.query<A>(sql, values, { rowMode, paramTypes: types }),
      catch: (cause) => queryError(pglite, cause)
    })
  )

/** PostgreSQL answers `COMMIT` with `ROLLBACK` when the transaction was aborted; sql-pg fails then. */
const commit = (pglite: PGlite): Effect.Effect<void, SqlError.SqlError> =>
  Effect.flatMap(run(pglite, "COMMIT", []), (result) =>
    result.command === "ROLLBACK"
      ? Effect.fail(
          new SqlError.SqlError({
            reason: new SqlError.UnknownError({
              cause: new Error("COMMIT rolled back an aborted transaction"),
              message: "PgliteClient: COMMIT rolled back an aborted transaction",
              operation: "commit"
            })
          })
        )
      : Effect.void
  )

// --- errors ---------------------------------------------------------------------------------

const busy = (timeout: Duration.Duration): SqlError.SqlError =>
  new SqlError.SqlError({
    reason: new SqlError.ConnectionError({
      cause: new Error(`The session stayed busy for ${Duration.format(timeout)}`),
      message: "PgliteClient: timed out waiting for the session",
      operation: "acquire"
    })
  })

const queryError = (pglite: PGlite, cause: unknown): SqlError.SqlError => {
  const props = { cause, message: "PgliteClient: Query failed", operation: "query" }
  if (pglite.closed) return new SqlError.SqlError({ reason: new SqlError.ConnectionError(props) })
  const code = Predicate.hasProperty(cause, "code") && typeof cause.code === "string" ? cause.code : undefined
  const constraint = Predicate.hasProperty(cause, "constraint") ? cause.constraint : undefined
  return new SqlError.SqlError({ reason: classifySqlState(code, constraint, props) })
}

const normalizeConstraint = (constraint: unknown): string => {
  if (typeof constraint !== "string") return "unknown"
  const normalized = constraint.trim()
  return normalized.length === 0 ? "unknown" : normalized
}

/** A copy of `@effect/sql-pg`'s (internal) SQLSTATE classification, so reasons match exactly. */
const classifySqlState = (
  code: string | undefined,
  constraint: unknown,
  props: { readonly cause: unknown; readonly message: string; readonly operation: string }
): SqlError.SqlErrorReason => {
  if (code !== undefined) {
    if (code.startsWith("08")) return new SqlError.ConnectionError(props)
    if (code.startsWith("28")) return new SqlError.AuthenticationError(props)
    if (code === "42501") return new SqlError.AuthorizationError(props)
    if (code.startsWith("42")) return new SqlError.SqlSyntaxError(props)
    if (code === "23505") {
      return new SqlError.UniqueViolation({ ...props, constraint: normalizeConstraint(constraint) })
    }
    if (code.startsWith("23")) return new SqlError.ConstraintError(props)
    if (code === "40P01") return new SqlError.DeadlockError(props)
    if (code === "40001") return new SqlError.SerializationError(props)
    if (code === "55P03") return new SqlError.LockTimeoutError(props)
    if (code === "57014") return new SqlError.StatementTimeoutError(props)
  }
  return new SqlError.UnknownError(props)
}

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

const encodeParameters = (params: ReadonlyArray<unknown>) =>
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
const serializers = {
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
const parsers = {
  [OID.int8]: (text: string) => BigInt(text),
  [OID.float4]: (text: string) => Math.fround(Number(text)),
  [OID.date]: parseDate,
  [OID.timestamp]: parseTimestamp,
  [OID.timestamptz]: parseTimestamp,
  [OID.time]: parseTimeOfDay,
  [OID.timetz]: formatTimetz,
  [OID.interval]: parseInterval
}
