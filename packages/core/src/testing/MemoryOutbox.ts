/**
 * The `Outbox` port on the {@link MemoryDatabase}: messages are written in the caller's
 * transaction, leased in order of when they are due, and retried after a failure, as on
 * PostgreSQL (the same `OutboxContract` holds both to it). An org's message is also recorded in the
 * change feed that `MemoryChangeLog` reads.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer } from "effect"
import { Outbox, OutboxMessage, type OutboxMessageId } from "../kernel/Outbox.ts"
import * as MemoryChangeLog from "./MemoryChangeLog.ts"
import { MemoryDatabase, put, remove, rows } from "./MemoryDatabase.ts"

interface Row {
  readonly message: OutboxMessage
  readonly availableAt: number
  readonly leasedUntil: number | null
  readonly deliveredAt: number | null
  readonly lastError: string | null
}

const messages = rows<Row>("outbox_messages")

const isDue = (row: Row, now: number) =>
  row.deliveredAt === null && row.availableAt <= now && (row.leasedUntil === null || row.leasedUntil <= now)

const byDueTime = (a: Row, b: Row) =>
  a.availableAt - b.availableAt || (a.message.id < b.message.id ? -1 : a.message.id > b.message.id ? 1 : 0)

const updated = (
  table: ReadonlyMap<string, Row>,
  id: OutboxMessageId,
  change: (row: Row) => Row
): readonly [undefined, ReadonlyMap<string, Row>] => {
  const row = table.get(id)
  return [undefined, row === undefined ? table : put(table, id, change(row))]
}

const withAttempt = (row: Row) => new OutboxMessage({ ...row.message, attempts: row.message.attempts + 1 })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Outbox, never, MemoryDatabase> = Layer.effect(
  Outbox,
  Effect.map(Effect.service(MemoryDatabase), (database) =>
    Outbox.of({
      // The message and its change in the feed commit together, as the trigger does.
      enqueue: (message) =>
        database.transaction(
          Effect.andThen(
            database.modify(messages, (table) => [
              undefined,
              put(table, message.id, {
                message,
                availableAt: DateTime.toEpochMillis(message.createdAt),
                leasedUntil: null,
                deliveredAt: null,
                lastError: null
              })
            ]),
            MemoryChangeLog.record(database, message)
          )
        ),
      lease: (limit, now, leaseUntil) =>
        database.modify(messages, (table) => {
          const leased = [...table.values()]
            .filter((row) => isDue(row, DateTime.toEpochMillis(now)))
            .sort(byDueTime)
            .slice(0, limit)
          const next = new Map(table)
          for (const row of leased)
            next.set(row.message.id, { ...row, leasedUntil: DateTime.toEpochMillis(leaseUntil) })
          return [leased.map((row) => row.message).sort((a, b) => (a.id < b.id ? -1 : 1)), next]
        }),
      markDelivered: (id, at) =>
        database.modify(messages, (table) =>
          updated(table, id, (row) => ({
            ...row,
            message: withAttempt(row),
            deliveredAt: DateTime.toEpochMillis(at),
            leasedUntil: null
          }))
        ),
      markFailed: (id, error, retryAt) =>
        database.modify(messages, (table) =>
          updated(table, id, (row) => ({
            ...row,
            message: withAttempt(row),
            availableAt: DateTime.toEpochMillis(retryAt),
            leasedUntil: null,
            lastError: error.slice(0, 2000)
          }))
        ),
      purgeDelivered: (before) =>
        database.modify(messages, (table) => {
          const purged = [...table.entries()]
            .filter(([, row]) => row.deliveredAt !== null && row.deliveredAt < DateTime.toEpochMillis(before))
            .map(([id]) => id)
          return [purged.length, remove(table, purged)]
        })
    })
  )
)
