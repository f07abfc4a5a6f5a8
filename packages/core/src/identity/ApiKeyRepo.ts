/**
 * The store of API keys. Every method that takes an `orgId` touches that org's keys only.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect, type Option } from "effect"
import type { ValidationFailed } from "../kernel/Errors.ts"
import type { ApiKeyId, OrgId } from "../kernel/Ids.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import type { Role } from "../kernel/Role.ts"
import type { ApiKey } from "./ApiKey.ts"

/**
 * A key found by its id for authentication, with the hash of its secret and what its creator
 * may do in the key's org now (`role: null`: the creator left it, so the key acts no more).
 *
 * @since 0.1.0
 * @category models
 */
export interface KeyHolder {
  readonly key: ApiKey
  readonly secretHash: string
  readonly role: Role | null
}

/**
 * @since 0.1.0
 * @category services
 */
export class ApiKeyRepo extends Context.Service<
  ApiKeyRepo,
  {
    readonly insert: (key: ApiKey, secretHash: string) => Effect.Effect<void>
    readonly find: (orgId: OrgId, id: string) => Effect.Effect<Option.Option<ApiKey>>
    /** The org's keys, oldest first, revoked ones included. */
    readonly list: (orgId: OrgId, page: PageRequest) => Effect.Effect<Page<ApiKey>, ValidationFailed>
    readonly revoke: (orgId: OrgId, id: ApiKeyId, at: DateTime.Utc) => Effect.Effect<void>
    /** Read on every request a key makes: one statement, nothing cached, so revocation is immediate. */
    readonly resolve: (id: ApiKeyId) => Effect.Effect<Option.Option<KeyHolder>>
    readonly touch: (id: ApiKeyId, at: DateTime.Utc) => Effect.Effect<void>
  }
>()("@rota/core/identity/ApiKeyRepo") {}
