/**
 * API keys on PostgreSQL. Authentication reads the key and its creator's current role in one
 * statement per request, uncached, so a revoked key or a departed creator stops at once on every
 * server.
 *
 * @since 0.1.0
 */
import { ApiKey, ApiKeyRepo, Ids, type Pagination, Permissions, Role } from "@rota/core"
import { DateTime, Effect, Layer, Option, Schema } from "effect"
import { SqlClient } from "effect/sql"
import * as Keyset from "./Keyset.ts"

const KeyRow = Schema.Struct({
  id: Schema.String,
  org_id: Schema.String,
  name: Schema.String,
  scopes: Schema.Array(Permissions.Permission),
  created_by: Schema.String,
  created_at: Schema.Date,
  expires_at: Schema.NullOr(Schema.Date),
  last_used_at: Schema.NullOr(Schema.Date),
  revoked_at: Schema.NullOr(Schema.Date)
})
type KeyRow = typeof KeyRow.Type

const HolderRow = Schema.Struct({
  ...KeyRow.fields,
  secret_hash: Schema.String,
  role: Schema.NullOr(Role.Role)
})

const decodeKeys = Schema.decodeUnknownSync(Schema.Array(KeyRow))
const decodeHolders = Schema.decodeUnknownSync(Schema.Array(HolderRow))

const orNull = (date: Date | null) => (date === null ? null : DateTime.fromDateUnsafe(date))

const toKey = (row: KeyRow) => {
  const id = Ids.ApiKeyId.make(row.id)
  return new ApiKey.ApiKey({
    id,
    orgId: Ids.OrgId.make(row.org_id),
    name: row.name,
    scopes: row.scopes,
    prefix: ApiKey.prefixOf(id),
    createdBy: Ids.AccountId.make(row.created_by),
    createdAt: DateTime.fromDateUnsafe(row.created_at),
    expiresAt: orNull(row.expires_at),
    lastUsedAt: orNull(row.last_used_at),
    revokedAt: orNull(row.revoked_at)
  })
}

const columns = "id, org_id, name, scopes, created_by, created_at, expires_at, last_used_at, revoked_at"

// Keys sort by id: UUIDv7, so oldest first; the id is the sort key as well as the tie-breaker,
// which the `(org_id, id)` index serves.
const byId: Keyset.Column = { name: "id", kind: "uuid" }

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ApiKeyRepo.ApiKeyRepo, never, SqlClient.SqlClient> = Layer.effect(
  ApiKeyRepo.ApiKeyRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const cols = sql.unsafe(columns)

    const insert = (key: ApiKey.ApiKey, secretHash: string) =>
      sql`INSERT INTO api_keys ${sql.insert({
        id: key.id,
        org_id: key.orgId,
        name: key.name,
        scopes: [...key.scopes],
        secret_hash: secretHash,
        created_by: key.createdBy,
        created_at: DateTime.toDateUtc(key.createdAt),
        expires_at: key.expiresAt === null ? null : DateTime.toDateUtc(key.expiresAt)
      })}`.pipe(Effect.asVoid, Effect.orDie)

    const find = (orgId: Ids.OrgId, id: string) =>
      Ids.isUuid(id)
        ? sql`SELECT ${cols} FROM api_keys WHERE org_id = ${orgId} AND id = ${id}`.pipe(
            Effect.map((rows) => Option.map(Option.fromNullishOr(decodeKeys(rows)[0]), toKey)),
            Effect.orDie
          )
        : Effect.succeedNone

    const list = (orgId: Ids.OrgId, page: Pagination.PageRequest) =>
      Effect.map(
        Keyset.page(sql, {
          // Only the listed columns: a listing has no use for the secrets' hashes.
          source: sql`(SELECT ${cols} FROM api_keys)`,
          conditions: [sql`org_id = ${orgId}`],
          column: byId,
          direction: "asc",
          limit: page.limit,
          cursor: page.cursor
        }),
        (found) => ({ items: decodeKeys(found.items).map(toKey), nextCursor: found.nextCursor })
      )

    const revoke = (orgId: Ids.OrgId, id: Ids.ApiKeyId, at: DateTime.Utc) =>
      sql`UPDATE api_keys SET revoked_at = ${DateTime.toDateUtc(at)} WHERE org_id = ${orgId} AND id = ${id} AND revoked_at IS NULL`.pipe(
        Effect.asVoid,
        Effect.orDie
      )

    const resolve = (id: Ids.ApiKeyId) =>
      sql`SELECT k.id, k.org_id, k.name, k.scopes, k.created_by, k.created_at, k.expires_at,
          k.last_used_at, k.revoked_at, k.secret_hash, m.role
        FROM api_keys k
        LEFT JOIN accounts a ON a.id = k.created_by AND a.is_active
        LEFT JOIN memberships m ON m.account_id = a.id AND m.org_id = k.org_id
          AND m.deleted_at IS NULL AND m.is_active
        WHERE k.id = ${id}`.pipe(
        Effect.map((rows) =>
          Option.map(
            Option.fromNullishOr(decodeHolders(rows)[0]),
            (row): ApiKeyRepo.KeyHolder => ({ key: toKey(row), secretHash: row.secret_hash, role: row.role })
          )
        ),
        Effect.orDie
      )

    const touch = (id: Ids.ApiKeyId, at: DateTime.Utc) =>
      sql`UPDATE api_keys SET last_used_at = ${DateTime.toDateUtc(at)}
        WHERE id = ${id} AND (last_used_at IS NULL OR last_used_at < ${DateTime.toDateUtc(at)})`.pipe(
        Effect.asVoid,
        Effect.orDie
      )

    return ApiKeyRepo.ApiKeyRepo.of({ insert, find, list, revoke, resolve, touch })
  })
)
