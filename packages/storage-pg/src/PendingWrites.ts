/**
 * Writes a transaction must hold but nothing in it reads back: the audit event, the outbox
 * message, the idempotency record's answer. Inside a transaction the `Transactor` opened they
 * are held, then sent just before `COMMIT` as one statement (one data-modifying CTE each), in
 * place of one round trip each; outside one they are sent at once. A savepoint that rolls back
 * drops what was held inside it.
 *
 * @since 0.1.0
 */
import { type Array as Arr, Context, Effect, Option } from "effect"
import type { SqlClient, SqlError, Statement } from "effect/sql"

/**
 * A held statement. `ordered` ones (outbox messages) reach the database in the order they were
 * made: the change feed numbers messages as their rows arrive, and the parts of one statement
 * run in no set order, so no two ordered statements share one.
 *
 * @since 0.1.0
 * @category models
 */
export interface Held {
  readonly statement: Statement.Fragment
  readonly ordered: boolean
}

/**
 * The writes held for the current transaction, in the order they were made.
 *
 * @since 0.1.0
 * @category services
 */
export class PendingWrites extends Context.Service<PendingWrites, { readonly held: Array<Held> }>()(
  "@rota/storage-pg/PendingWrites"
) {}

/**
 * Holds `statement` for the current transaction's commit, or runs it now outside one.
 *
 * @since 0.1.0
 * @category writes
 */
export const write = (
  sql: SqlClient.SqlClient,
  statement: Statement.Fragment,
  options: { readonly ordered?: boolean } = {}
): Effect.Effect<void, SqlError.SqlError> =>
  Effect.flatMap(Effect.serviceOption(PendingWrites), (pending) =>
    Option.isSome(pending)
      ? Effect.sync(() => {
          pending.value.held.push({ statement, ordered: options.ordered === true })
        })
      : Effect.asVoid(sql`${statement}`)
  )

/**
 * Holds `statements` for the current transaction's commit, or runs them now outside one, as one
 * statement: they succeed or fail together either way.
 *
 * @since 0.1.0
 * @category writes
 */
export const writeTogether = (
  sql: SqlClient.SqlClient,
  statements: Arr.NonEmptyReadonlyArray<Statement.Fragment>
): Effect.Effect<void, SqlError.SqlError> =>
  Effect.flatMap(Effect.serviceOption(PendingWrites), (pending) =>
    Option.isSome(pending)
      ? Effect.sync(() => {
          for (const statement of statements) pending.value.held.push({ statement, ordered: false })
        })
      : send(sql, statements)
  )

/**
 * The held statements cut into consecutive runs with at most one ordered statement each.
 *
 * @since 0.1.0
 * @category writes
 */
export const batches = (held: ReadonlyArray<Held>): Array<Array<Statement.Fragment>> => {
  const out: Array<Array<Statement.Fragment>> = []
  let current: Array<Statement.Fragment> = []
  let hasOrdered = false
  for (const { statement, ordered } of held) {
    if (ordered && hasOrdered) {
      out.push(current)
      current = []
      hasOrdered = false
    }
    current.push(statement)
    hasOrdered ||= ordered
  }
  if (current.length > 0) out.push(current)
  return out
}

const send = (sql: SqlClient.SqlClient, statements: ReadonlyArray<Statement.Fragment>) => {
  if (statements.length === 1) return Effect.asVoid(sql`${statements[0]!}`)
  // PostgreSQL runs every data-modifying CTE to completion, read or not.
  const parts = statements.map((statement, index) => sql`${sql.literal(`w${index}`)} AS (${statement})`)
  return Effect.asVoid(sql`WITH ${sql.join(", ", false)(parts)} SELECT 1`)
}

/**
 * Sends what `held` holds, in order: one statement, or one more for each outbox message after
 * the first (a transaction that sends several); nothing when it holds nothing.
 *
 * @since 0.1.0
 * @category writes
 */
export const flush = (
  sql: SqlClient.SqlClient,
  held: ReadonlyArray<Held>
): Effect.Effect<void, SqlError.SqlError> =>
  Effect.forEach(batches(held), (statements) => send(sql, statements), { discard: true })

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
    const pending = { held: [] as Array<Held> }
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
