/**
 * Sessions and their refresh tokens on PostgreSQL. A refresh token is spent by one guarded
 * `UPDATE`, so two concurrent uses of one token can never both succeed.
 *
 * @since 0.1.0
 */
import { IdentityRepos, Ids, Role } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import { settingsFromJson } from "./IdentitySql.ts"
import * as SessionCache from "./SessionCache.ts"

const RefreshRow = Schema.Struct({
  session_id: Schema.String,
  account_id: Schema.String,
  expires_at: Schema.Date,
  used_at: Schema.NullOr(Schema.Date),
  successor_hash: Schema.NullOr(Schema.String),
  session_revoked: Schema.Boolean
})

const decodeRefresh = Schema.decodeUnknownSync(Schema.Array(RefreshRow))

const SessionRow = Schema.Struct({
  account_id: Schema.String,
  role: Schema.NullOr(Role.Role),
  org_settings: Schema.Unknown
})

const decodeSessions = Schema.decodeUnknownSync(Schema.Array(SessionRow))

type SessionRepo = IdentityRepos.SessionRepo["Service"]

const findRefresh = (sql: SqlClient.SqlClient, hash: string, lock: boolean) =>
  sql`SELECT r.session_id, r.account_id, r.expires_at, r.used_at, r.successor_hash,
          (s.id IS NULL OR s.revoked_at IS NOT NULL) AS session_revoked
        FROM refresh_tokens r LEFT JOIN auth_sessions s ON s.id = r.session_id
        WHERE r.token_hash = ${hash} ${lock ? sql`FOR UPDATE OF r` : sql``}`.pipe(
    Effect.map((rows) =>
      Option.map(
        Option.fromNullishOr(decodeRefresh(rows)[0]),
        (row): IdentityRepos.RefreshRecord => ({
          sessionId: row.session_id,
          accountId: Ids.AccountId.make(row.account_id),
          expiresAt: DateTime.fromDateUnsafe(row.expires_at),
          usedAt: row.used_at === null ? null : DateTime.fromDateUnsafe(row.used_at),
          successorHash: row.successor_hash,
          sessionRevoked: row.session_revoked
        })
      )
    ),
    Effect.orDie
  )

const resolve =
  (sql: SqlClient.SqlClient): SessionRepo["resolve"] =>
  (sessionId, orgId) =>
    Ids.isUuid(sessionId)
      ? // The org's settings come with the role: most use cases need them, and a statement
        // less per request is worth more than the bytes.
        sql`SELECT s.account_id, m.role, o.settings AS org_settings
              FROM auth_sessions s
              JOIN accounts a ON a.id = s.account_id AND a.is_active
              LEFT JOIN memberships m ON m.account_id = s.account_id
                AND ${orgId === undefined ? sql`FALSE` : sql`m.org_id = ${orgId}`}
                AND m.deleted_at IS NULL AND m.is_active
              LEFT JOIN organizations o ON o.id = m.org_id
              WHERE s.id = ${sessionId} AND s.revoked_at IS NULL`.pipe(
          Effect.map((rows) =>
            Option.map(
              Option.fromNullishOr(decodeSessions(rows)[0]),
              (row): IdentityRepos.SessionState => ({
                accountId: Ids.AccountId.make(row.account_id),
                role: row.role,
                orgSettings: row.role === null ? null : settingsFromJson(row.org_settings)
              })
            )
          ),
          Effect.orDie
        )
      : Effect.succeedNone

/**
 * @since 0.1.0
 * @category layers
 */
export const sessionRepo: Layer.Layer<IdentityRepos.SessionRepo, never, SqlClient.SqlClient> = Layer.effect(
  IdentityRepos.SessionRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return IdentityRepos.SessionRepo.of({
      create: (session) =>
        sql`INSERT INTO auth_sessions ${sql.insert({
          id: session.id,
          account_id: session.accountId,
          created_at: DateTime.toDateUtc(session.at)
        })}`.pipe(Effect.asVoid, Effect.orDie),
      addRefresh: (refresh) =>
        sql`INSERT INTO refresh_tokens ${sql.insert({
          token_hash: refresh.hash,
          session_id: refresh.sessionId,
          account_id: refresh.accountId,
          expires_at: DateTime.toDateUtc(refresh.expiresAt)
        })}`.pipe(Effect.asVoid, Effect.orDie),
      findRefresh: (hash) => findRefresh(sql, hash, false),
      lockRefresh: (hash) => findRefresh(sql, hash, true),
      // The guard makes this the reuse detector: of two concurrent uses, the second finds
      // `used_at` set once the first commits, and changes nothing.
      useRefresh: (hash, at, successorHash) =>
        sql`UPDATE refresh_tokens SET used_at = ${DateTime.toDateUtc(at)}, successor_hash = ${successorHash ?? null}
          WHERE token_hash = ${hash} AND used_at IS NULL RETURNING token_hash`.pipe(
          Effect.map((rows) => rows.length > 0),
          Effect.orDie
        ),
      revoke: (sessionId, at) =>
        Ids.isUuid(sessionId)
          ? SessionCache.distrust({ _tag: "Session", sessionId }).pipe(
              Effect.andThen(sql`UPDATE auth_sessions SET revoked_at = ${DateTime.toDateUtc(at)}
              WHERE id = ${sessionId} AND revoked_at IS NULL`),
              Effect.asVoid,
              Effect.orDie
            )
          : Effect.void,
      revokeAll: (accountId, at, except) =>
        Effect.andThen(
          SessionCache.distrust({ _tag: "Account", accountId }),
          sql`UPDATE auth_sessions SET revoked_at = ${DateTime.toDateUtc(at)}
          WHERE account_id = ${accountId} AND revoked_at IS NULL
            ${except !== undefined && Ids.isUuid(except) ? sql`AND id <> ${except}` : sql``}`.pipe(
            Effect.asVoid,
            Effect.orDie
          )
        ),
      resolve: resolve(sql)
    })
  })
)
