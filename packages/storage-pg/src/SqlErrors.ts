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
