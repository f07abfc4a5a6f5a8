/**
 * The `ApiKeyRepo` port on the {@link MemoryDatabase}: keys with their secrets' hashes, listed
 * by id (UUIDv7, so oldest first), and resolved with the creator's role read from the identity
 * tables, as PostgreSQL joins them: no role unless the account and its membership of the key's
 * org are both active. The same `ApiKeyRepoContract` holds both adapters to it.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer, Option } from "effect"
import { ApiKey } from "../identity/ApiKey.ts"
import { ApiKeyRepo, type KeyHolder } from "../identity/ApiKeyRepo.ts"
import { type ApiKeyId, isUuid, type OrgId } from "../kernel/Ids.ts"
import { decodeCursor, fromRows, invalidCursor, type PageRequest } from "../kernel/Pagination.ts"
import { MemoryDatabase, put, rows } from "./MemoryDatabase.ts"
import { accounts, membershipKey, memberships } from "./MemoryIdentityTables.ts"

interface KeyRow {
  readonly key: ApiKey
  readonly secretHash: string
}

const keys = rows<KeyRow>("api_keys")

const millis = (at: DateTime.Utc) => DateTime.toEpochMillis(at)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<ApiKeyRepo, never, MemoryDatabase> = Layer.effect(
  ApiKeyRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase

    // Rewrites the stored key when `change` answers a new one.
    const rewrite = (id: ApiKeyId, change: (key: ApiKey) => ApiKey | undefined) =>
      database.modify(keys, (table) => {
        const row = table.get(id)
        const after = row === undefined ? undefined : change(row.key)
        return [
          undefined,
          row === undefined || after === undefined ? table : put(table, id, { ...row, key: after })
        ]
      })

    const insert = Effect.fn("MemoryApiKeyRepo.insert")(function* (key: ApiKey, secretHash: string) {
      yield* database.modify(keys, (table) => [undefined, put(table, key.id, { key, secretHash })])
    })

    const find = Effect.fn("MemoryApiKeyRepo.find")(function* (orgId: OrgId, id: string) {
      const row = isUuid(id) ? (yield* database.read(keys)).get(id) : undefined
      return row === undefined || row.key.orgId !== orgId ? Option.none() : Option.some(row.key)
    })

    // The cursor is the last key's id twice, sort key and tie-breaker, as PostgreSQL pages by id.
    const list = Effect.fn("MemoryApiKeyRepo.list")(function* (orgId: OrgId, page: PageRequest) {
      const position = page.cursor === undefined ? undefined : yield* decodeCursor(page.cursor)
      if (position !== undefined && !(typeof position[0] === "string" && isUuid(position[0])))
        return yield* Effect.fail(invalidCursor())
      // uuids compare as their lower-case text does; `(id, id) > (key, tie)` as PostgreSQL reads it.
      const key = position === undefined ? "" : String(position[0]).toLowerCase()
      const tie = position === undefined ? "" : position[1].toLowerCase()
      const ofOrg = [...(yield* database.read(keys)).values()]
        .map((row) => row.key)
        .filter(({ id, orgId: of }) => of === orgId && (id > key || (id === key && id > tie)))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      return fromRows(ofOrg.slice(0, page.limit + 1), page.limit, (listed) => [listed.id, listed.id])
    })

    const revoke = Effect.fn("MemoryApiKeyRepo.revoke")(function* (
      orgId: OrgId,
      id: ApiKeyId,
      at: DateTime.Utc
    ) {
      yield* rewrite(id, (key) =>
        key.orgId === orgId && key.revokedAt === null ? new ApiKey({ ...key, revokedAt: at }) : undefined
      )
    })

    const resolve = Effect.fn("MemoryApiKeyRepo.resolve")(function* (id: ApiKeyId) {
      const row = (yield* database.read(keys)).get(id)
      if (row === undefined) return Option.none<KeyHolder>()
      const account = (yield* database.read(accounts)).get(row.key.createdBy)?.account
      const membership = (yield* database.read(memberships)).get(
        membershipKey(row.key.orgId, row.key.createdBy)
      )
      const acting =
        account?.isActive === true &&
        membership !== undefined &&
        membership.deletedAt === null &&
        membership.isActive
      return Option.some<KeyHolder>({ ...row, role: acting ? membership.role : null })
    })

    const touch = Effect.fn("MemoryApiKeyRepo.touch")(function* (id: ApiKeyId, at: DateTime.Utc) {
      yield* rewrite(id, (key) =>
        key.lastUsedAt === null || millis(key.lastUsedAt) < DateTime.toEpochMillis(at)
          ? new ApiKey({ ...key, lastUsedAt: at })
          : undefined
      )
    })

    return ApiKeyRepo.of({ insert, find, list, revoke, resolve, touch })
  })
)
