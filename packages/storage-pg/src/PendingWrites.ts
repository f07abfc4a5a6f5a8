/**
 * Writes a transaction must hold but nothing in it reads back: the audit event, the outbox
 * message, the idempotency record's answer. Inside a transaction the `Transactor` opened they
 * are held, then sent just before `COMMIT` as one statement (one data-modifying CTE each), in
 * place of one round trip each; outside one they are sent at once. A savepoint that rolls back
 * drops what was held inside it.
 *
 * @since 0.1.0
 */
import { Context, Effect, Option } from "effect"
import type { SqlClient, SqlError, Statement } from "effect/sql"

/**
 * The writes held for the current transaction, in the order they were made.
 *
 * @since 0.1.0
 * @category services
 */
export class PendingWrites extends Context.Service<
  PendingWrites,
  { readonly held: Array<Statement.Fragment> }
>()("@rota/storage-pg/PendingWrites") {}

/**
 * Holds `statement` for the current transaction's commit, or runs it now outside one.
 *
 * @since 0.1.0
 * @category writes
 */
export const write = (
  sql: SqlClient.SqlClient,
  statement: Statement.Fragment
): Effect.Effect<void, SqlError.SqlError> =>
  Effect.flatMap(Effect.serviceOption(PendingWrites), (pending) =>
    Option.isSome(pending)
      ? Effect.sync(() => {
          pending.value.held.push(statement)
        })
      : Effect.asVoid(sql`${statement}`)
  )

/**
 * Sends what `held` holds as one statement; nothing when it holds nothing.
 *
 * @since 0.1.0
 * @category writes
 */
export const flush = (
  sql: SqlClient.SqlClient,
  held: ReadonlyArray<Statement.Fragment>
): Effect.Effect<void, SqlError.SqlError> => {
  if (held.length === 0) return Effect.void
  if (held.length === 1) return Effect.asVoid(sql`${held[0]!}`)
  // PostgreSQL runs every data-modifying CTE to completion, read or not.
  const parts = held.map((statement, index) => sql`${sql.literal(`w${index}`)} AS (${statement})`)
  return Effect.asVoid(sql`WITH ${sql.join(", ", false)(parts)} SELECT 1`)
}

/**
 * Runs `work` in a new transaction with a fresh set of held writes, sent once `work` has
 * succeeded, before `COMMIT`.
 *
 * @since 0.1.0
 * @category writes
 */
export const inTransaction = <A, E, R>(
  sql: SqlClient.SqlClient,
  work: Effect.Effect<A, E, R>
): Effect.Effect<A, E | SqlError.SqlError, Exclude<R, PendingWrites>> =>
  Effect.suspend(() => {
    const pending = { held: [] as Array<Statement.Fragment> }
    return sql.withTransaction(
      Effect.tap(Effect.provideService(work, PendingWrites, pending), () => flush(sql, pending.held))
    )
  })

/**
 * `effect`, inside a savepoint: when it fails, what it held is dropped with its writes.
 *
 * @since 0.1.0
 * @category writes
 */
export const droppingOnFailure = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(Effect.serviceOption(PendingWrites), (pending) => {
    if (Option.isNone(pending)) return effect
    const { held } = pending.value
    const mark = held.length
    return Effect.onError(effect, () =>
      Effect.sync(() => {
        held.length = mark
      })
    )
  })
