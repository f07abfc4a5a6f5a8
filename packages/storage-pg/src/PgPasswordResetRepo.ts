/**
 * Password resets on PostgreSQL; a reset is used by one guarded `UPDATE`.
 *
 * @since 0.1.0
 */
import { IdentityRepos, Ids } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { decodeAccountIds } from "./IdentitySql.ts"

const decodeResets = Schema.decodeUnknownSync(
  Schema.Array(Schema.Struct({ id: Schema.String, account_id: Schema.String, expires_at: Schema.Date }))
)

/**
 * @since 0.1.0
 * @category layers
 */
export const passwordResetRepo: Layer.Layer<IdentityRepos.PasswordResetRepo, never, SqlClient.SqlClient> =
  Layer.effect(
    IdentityRepos.PasswordResetRepo,
    Effect.gen(function* () {
      const sql = yield* SqlClient.SqlClient
      return IdentityRepos.PasswordResetRepo.of({
        insert: (reset) =>
          sql`INSERT INTO password_resets ${sql.insert({
            id: reset.id,
            account_id: reset.accountId,
            expires_at: DateTime.toDateUtc(reset.expiresAt)
          })}`.pipe(Effect.asVoid, Effect.orDie),
        use: (id, at) =>
          Ids.isUuid(id)
            ? sql`UPDATE password_resets SET used_at = ${DateTime.toDateUtc(at)}
                WHERE id = ${id} AND used_at IS NULL AND expires_at > ${DateTime.toDateUtc(at)}
                RETURNING account_id`.pipe(
                Effect.map((rows) =>
                  Option.map(Option.fromNullishOr(decodeAccountIds(rows)[0]), (row) =>
                    Ids.AccountId.make(row.account_id)
                  )
                ),
                Effect.orDie
              )
            : Effect.succeedNone,
        findOpen: (id, at) =>
          Ids.isUuid(id)
            ? sql`SELECT id, account_id, expires_at FROM password_resets
                WHERE id = ${id} AND used_at IS NULL AND expires_at > ${DateTime.toDateUtc(at)}`.pipe(
                Effect.map((rows) =>
                  Option.map(
                    Option.fromNullishOr(decodeResets(rows)[0]),
                    (row): IdentityRepos.PasswordResetRecord => ({
                      id: row.id,
                      accountId: Ids.AccountId.make(row.account_id),
                      expiresAt: DateTime.fromDateUnsafe(row.expires_at)
                    })
                  )
                ),
                Effect.orDie
              )
            : Effect.succeedNone,
        closeAll: (accountId, at) =>
          sql`UPDATE password_resets SET used_at = ${DateTime.toDateUtc(at)}
            WHERE account_id = ${accountId} AND used_at IS NULL`.pipe(Effect.asVoid, Effect.orDie)
      })
    })
  )
