/**
 * Where the database states a domain rule (a unique index, an exclusion constraint), its
 * violation becomes the domain error; every other SQL failure is a defect at this edge.
 *
 * @since 0.1.0
 */
import { Errors } from "@rota/core"
import { Effect } from "effect"
import type { SqlError } from "effect/sql"

interface PgErrorFields {
  readonly code?: string
  readonly constraint?: string
}

const fieldsOf = (error: SqlError.SqlError): PgErrorFields => {
  const cause = error.reason.cause
  return typeof cause === "object" && cause !== null ? (cause as PgErrorFields) : {}
}

/**
 * The SQLSTATE of a failed statement, the same on PostgreSQL and PGlite.
 *
 * @since 0.1.0
 * @category accessors
 */
export const sqlState = (error: SqlError.SqlError): string | undefined => fieldsOf(error).code

/**
 * The constraint a failed statement violated, when the server named one.
 *
 * @since 0.1.0
 * @category accessors
 */
export const constraintName = (error: SqlError.SqlError): string | undefined => fieldsOf(error).constraint

/**
 * How a repository turns named unique constraints into `AlreadyExists`.
 *
 * @since 0.1.0
 * @category models
 */
export type UniqueConstraints = Readonly<Record<string, { readonly entity: string; readonly field: string }>>

/**
 * Maps a unique violation (23505) on one of `constraints` to `AlreadyExists`; any other SQL
 * failure dies, so repositories expose only domain errors.
 *
 * @since 0.1.0
 * @category combinators
 */
export const uniqueAsAlreadyExists =
  (constraints: UniqueConstraints) =>
  <A, R>(effect: Effect.Effect<A, SqlError.SqlError, R>): Effect.Effect<A, Errors.AlreadyExists, R> =>
    Effect.catch(effect, (error) => {
      const known = sqlState(error) === "23505" ? constraints[constraintName(error) ?? ""] : undefined
      return known === undefined ? Effect.die(error) : Effect.fail(new Errors.AlreadyExists(known))
    })

// Server states that mean "not now" rather than "wrong": shutting down, starting up, refusing
// connections, out of connection slots.
const unavailableStates = new Set(["57P01", "57P02", "57P03", "53300", "55000"])

// Reasons that mean "too busy right now": a statement or lock wait past its timeout (55P03,
// 57014), or contention the transactor already retried (40P01, 40001).
const busyReasons = new Set([
  "LockTimeoutError",
  "StatementTimeoutError",
  "DeadlockError",
  "SerializationError"
])

/**
 * True when a failure means the database cannot be reached or used right now (connection lost or
 * refused, server restarting, pool exhausted, a statement or lock wait past its timeout): an
 * outage to retry after, not a bug.
 *
 * @since 0.1.0
 * @category classification
 */
export const isUnavailable = (error: SqlError.SqlError): boolean => {
  const state = sqlState(error)
  return (
    error.reason._tag === "ConnectionError" ||
    busyReasons.has(error.reason._tag) ||
    (state !== undefined && (state.startsWith("08") || unavailableStates.has(state))) ||
    /failed to connect|connection (terminated|closed|refused)|pool|acquire|timed? ?out/i.test(
      error.reason.message
    )
  )
}
