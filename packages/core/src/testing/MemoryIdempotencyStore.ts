/**
 * The `IdempotencyStore` port on the {@link MemoryDatabase}: one record per (org, account, key),
 * claimed, completed, released and forgotten by the same rules (`Idempotency.decide`) as on
 * PostgreSQL (the same `IdempotencyContract` holds both to it).
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Effect, Layer } from "effect"
import {
  type Claim,
  Claim as Claims,
  decide,
  IdempotencyStore,
  inFlightLease,
  type KeyRecord,
  retention,
  type Scope
} from "../kernel/Idempotency.ts"
import { MemoryDatabase, put, remove, rows } from "./MemoryDatabase.ts"

interface Row extends KeyRecord {
  readonly createdAt: number
}

const keys = rows<Row>("idempotency_keys")

const keyOf = (scope: Scope) => JSON.stringify([scope.orgId, scope.accountId, scope.key])

const expiredBefore = (now: DateTime.Utc) => DateTime.toEpochMillis(now) - Duration.toMillis(retention)

// One step from what is stored to the answer: a new or expired key is taken, a key whose holder's
// lease ran out is taken over, anything else is answered as it stands.
const claimed = (
  table: ReadonlyMap<string, Row>,
  scope: Scope,
  fingerprint: string,
  now: DateTime.Utc
): readonly [Claim, ReadonlyMap<string, Row>] => {
  const leaseUntil = DateTime.makeUnsafe(DateTime.toEpochMillis(now) + Duration.toMillis(inFlightLease))
  const existing = table.get(keyOf(scope))
  if (existing === undefined || existing.createdAt < expiredBefore(now)) {
    const row: Row = { fingerprint, response: null, leaseUntil, createdAt: DateTime.toEpochMillis(now) }
    return [Claims.Claimed(), put(table, keyOf(scope), row)]
  }
  const decision = decide(existing, fingerprint, now)
  return decision._tag === "Claimed"
    ? [decision, put(table, keyOf(scope), { ...existing, leaseUntil })]
    : [decision, table]
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<IdempotencyStore, never, MemoryDatabase> = Layer.effect(
  IdempotencyStore,
  Effect.map(Effect.service(MemoryDatabase), (database) =>
    IdempotencyStore.of({
      claim: (scope, fingerprint, now) =>
        database.modify(keys, (table) => claimed(table, scope, fingerprint, now)),
      complete: (scope, response) =>
        database.modify(keys, (table) => {
          const existing = table.get(keyOf(scope))
          return [
            undefined,
            existing === undefined ? table : put(table, keyOf(scope), { ...existing, response })
          ]
        }),
      release: (scope) =>
        database.modify(keys, (table) => [
          undefined,
          table.get(keyOf(scope))?.response === null ? remove(table, [keyOf(scope)]) : table
        ]),
      purgeExpired: (now) =>
        database.modify(keys, (table) => {
          const expired = [...table.entries()]
            .filter(([, row]) => row.createdAt < expiredBefore(now))
            .map(([key]) => key)
          return [expired.length, remove(table, expired)]
        })
    })
  )
)
