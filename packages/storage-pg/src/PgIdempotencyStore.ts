/**
 * Idempotency keys on PostgreSQL. A claim commits on its own at once (so a concurrent request
 * with the same key sees it and answers 409 without waiting); the answer is stored by the
 * action's own transaction.
 *
 * @since 0.1.0
 */

import { Idempotency } from "@rota/core"
import { DateTime, Effect, Layer, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as PendingWrites from "./PendingWrites.ts"

const KeyRow = Schema.Struct({
  fingerprint: Schema.String,
  created_at: Schema.Date,
  lease_until: Schema.Date,
  response_status: Schema.NullOr(Schema.Number),
  response_headers: Schema.NullOr(Schema.Record(Schema.String, Schema.String)),
  response_body: Schema.NullOr(Schema.String)
})

const decodeRows = Schema.decodeUnknownSync(Schema.Array(KeyRow))

const whereOf = (sql: SqlClient.SqlClient, scope: Idempotency.Scope) =>
  sql`org_id = ${scope.orgId} AND account_id = ${scope.accountId} AND key = ${scope.key}`

const claim = (
  sql: SqlClient.SqlClient,
  scope: Idempotency.Scope,
  fingerprint: string,
  now: DateTime.Utc
): Effect.Effect<Idempotency.Claim> =>
  Effect.gen(function* () {
    const leaseUntil = DateTime.toDateUtc(DateTime.addDuration(now, Idempotency.inFlightLease))
    const expiredBefore = DateTime.toDateUtc(DateTime.subtractDuration(now, Idempotency.retention))
    // Inserts a new key, or takes over one past its retention; returns nothing otherwise.
    const taken = yield* sql`
      INSERT INTO idempotency_keys ${sql.insert({
        org_id: scope.orgId,
        account_id: scope.accountId,
        key: scope.key,
        fingerprint,
        created_at: DateTime.toDateUtc(now),
        lease_until: leaseUntil
      })}
      ON CONFLICT (org_id, account_id, key) DO UPDATE SET
        fingerprint = EXCLUDED.fingerprint, created_at = EXCLUDED.created_at, lease_until = EXCLUDED.lease_until,
        response_status = NULL, response_headers = NULL, response_body = NULL
      WHERE idempotency_keys.created_at < ${expiredBefore}
      RETURNING 1 AS taken`
    if (taken.length > 0) return Idempotency.Claim.Claimed()
    const [existing] = decodeRows(
      yield* sql`SELECT fingerprint, created_at, lease_until, response_status, response_headers, response_body
        FROM idempotency_keys WHERE ${whereOf(sql, scope)}`
    )
    // Deleted between the two statements (released by a failed request): try once more.
    if (existing === undefined) return yield* Effect.suspend(() => claim(sql, scope, fingerprint, now))
    const decision = Idempotency.decide(
      {
        fingerprint: existing.fingerprint,
        leaseUntil: DateTime.fromDateUnsafe(existing.lease_until),
        response:
          existing.response_status === null
            ? null
            : {
                status: existing.response_status,
                headers: existing.response_headers ?? {},
                body: existing.response_body ?? ""
              }
      },
      fingerprint,
      now
    )
    if (decision._tag !== "Claimed") return decision
    // The previous holder's lease ran out: take the key over unless someone just did.
    const takenOver = yield* sql`UPDATE idempotency_keys SET lease_until = ${leaseUntil}
      WHERE ${whereOf(sql, scope)} AND response_status IS NULL AND lease_until = ${existing.lease_until}
      RETURNING 1 AS taken`
    return takenOver.length > 0 ? decision : Idempotency.Claim.InProgress()
  }).pipe(Effect.orDie)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Idempotency.IdempotencyStore, never, SqlClient.SqlClient> = Layer.effect(
  Idempotency.IdempotencyStore,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const where = (scope: Idempotency.Scope) => whereOf(sql, scope)
    return Idempotency.IdempotencyStore.of({
      claim: (scope, fingerprint, now) => claim(sql, scope, fingerprint, now),
      complete: (scope, response) =>
        PendingWrites.write(
          sql,
          sql`UPDATE idempotency_keys SET response_status = ${response.status},
            response_headers = ${JSON.stringify(response.headers)}, response_body = ${response.body}
          WHERE ${where(scope)}`
        ).pipe(Effect.orDie),
      release: (scope) =>
        sql`DELETE FROM idempotency_keys WHERE ${where(scope)} AND response_status IS NULL`.pipe(
          Effect.asVoid,
          Effect.orDie
        ),
      purgeExpired: (now) =>
        sql<{ key: string }>`DELETE FROM idempotency_keys
          WHERE created_at < ${DateTime.toDateUtc(DateTime.subtractDuration(now, Idempotency.retention))} RETURNING key`.pipe(
          Effect.map((rows) => rows.length),
          Effect.orDie
        )
    })
  })
)
