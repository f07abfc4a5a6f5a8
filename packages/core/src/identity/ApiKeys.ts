/**
 * The API keys use case: people with `api_key.manage` make keys for machine clients, list and
 * revoke them; the server authenticates requests carrying one. A key's scopes must be
 * permissions its creator holds, and it acts only while its creator still belongs to the org.
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Effect, Layer, Option, Redacted } from "effect"
import type * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import { Forbidden, NotFound, ValidationFailed } from "../kernel/Errors.ts"
import { ApiKeyId, type Ids, nextId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { Actor, CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import * as Key from "./ApiKey.ts"
import { ApiKeyRepo } from "./ApiKeyRepo.ts"
import { TokenSigner } from "./TokenSigner.ts"

/**
 * What a person asks for.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fields {
  readonly name: string
  readonly scopes: ReadonlyArray<Permissions.Permission>
  readonly expiresAt?: DateTime.Utc | null | undefined
}

/**
 * A new key and the key itself, in clear: the one answer that carries it.
 *
 * @since 0.1.0
 * @category models
 */
export interface WithSecret {
  readonly apiKey: Key.ApiKey
  readonly key: Redacted.Redacted<string>
}

/**
 * @since 0.1.0
 * @category services
 */
export class ApiKeys extends Context.Service<
  ApiKeys,
  {
    readonly create: (fields: Fields) => Effect.Effect<WithSecret, Forbidden | ValidationFailed, CurrentActor>
    readonly list: (
      page: PageRequest
    ) => Effect.Effect<Page<Key.ApiKey>, Forbidden | ValidationFailed, CurrentActor>
    readonly get: (id: string) => Effect.Effect<Key.ApiKey, Forbidden | NotFound, CurrentActor>
    /** Revoking a revoked key answers it unchanged. */
    readonly revoke: (id: string) => Effect.Effect<Key.ApiKey, Forbidden | NotFound, CurrentActor>
    /**
     * The actor a credential stands for, if it is a live key whose creator is still in its
     * org; `None` for anything else, without saying why.
     */
    readonly authenticate: (credential: string) => Effect.Effect<Option.Option<Actor>>
  }
>()("@rota/core/identity/ApiKeys") {}

const entity = "api_key"

// Every scope must be one the caller holds now: a key never grants more than its maker has.
const checkScopes = (actor: Actor, scopes: ReadonlyArray<Permissions.Permission>) => {
  const missing = scopes.find((scope) => !Permissions.allows(actor, scope))
  return missing === undefined ? Effect.void : Effect.fail(new Forbidden({ permission: missing }))
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  ApiKeys,
  never,
  ApiKeyRepo | TokenSigner | Transactor | AuditLog | Outbox.Outbox | Ids
> = Layer.effect(
  ApiKeys,
  Effect.gen(function* () {
    const repo = yield* ApiKeyRepo
    const signer = yield* TokenSigner
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    const now = Effect.map(Clock.currentTimeMillis, (millis) => DateTime.makeUnsafe(millis))

    const live = Effect.fnUntraced(function* (id: string) {
      yield* Permissions.require("api_key.manage")
      const actor = yield* CurrentActor
      const found = yield* repo.find(actor.orgId, id)
      if (Option.isNone(found)) return yield* new NotFound({ entity, id })
      return found.value
    })

    // The change, its audit event and its outbox message commit together; the message names
    // the key only.
    const written = (
      action: Audit.AuditAction,
      before: Key.ApiKey | null,
      after: Key.ApiKey,
      topic: string,
      write: Effect.Effect<void>
    ) =>
      transactor
        .withTransaction(
          Effect.andThen(
            write,
            ChangeRecord.record(
              { entityType: entity, entityId: after.id, action, before, after },
              { orgId: after.orgId, topic, payload: { id: after.id } }
            )
          )
        )
        .pipe(Effect.provide(context))

    const create = Effect.fn("ApiKeys.create")(function* (fields: Fields) {
      yield* Permissions.require("api_key.manage")
      const actor = yield* CurrentActor
      yield* checkScopes(actor, fields.scopes)
      const at = yield* now
      const expiresAt = fields.expiresAt ?? null
      if (expiresAt !== null && !DateTime.isGreaterThan(expiresAt, at)) {
        return yield* new ValidationFailed({
          errors: [{ path: ["body", "expiresAt"], message: "must be in the future" }]
        })
      }
      const id = yield* Effect.provide(nextId(ApiKeyId), context)
      const apiKey = new Key.ApiKey({
        id,
        orgId: actor.orgId,
        name: fields.name,
        scopes: [...fields.scopes],
        prefix: Key.prefixOf(id),
        createdBy: actor.accountId,
        createdAt: at,
        expiresAt,
        lastUsedAt: null,
        revokedAt: null
      })
      const secret = yield* signer.opaque
      yield* written("CREATE", null, apiKey, "api_key.created", repo.insert(apiKey, secret.hash))
      return { apiKey, key: Redacted.make(Key.format(id, secret.token)) }
    })

    const list = Effect.fn("ApiKeys.list")(function* (page: PageRequest) {
      yield* Permissions.require("api_key.manage")
      return yield* repo.list((yield* CurrentActor).orgId, page)
    })

    const get = Effect.fn("ApiKeys.get")(function* (id: string) {
      return yield* live(id)
    })

    const revoke = Effect.fn("ApiKeys.revoke")(function* (id: string) {
      const before = yield* live(id)
      if (before.revokedAt !== null) return before
      const at = yield* now
      const after = new Key.ApiKey({ ...before, revokedAt: at })
      yield* written(
        "STATUS_CHANGE",
        before,
        after,
        "api_key.revoked",
        repo.revoke(before.orgId, before.id, DateTime.toDateUtc(at))
      )
      return after
    })

    const authenticate = Effect.fn("ApiKeys.authenticate")(function* (credential: string) {
      const parsed = Key.parse(credential)
      if (Option.isNone(parsed)) return Option.none<Actor>()
      const found = yield* repo.resolve(parsed.value.id)
      if (Option.isNone(found)) return Option.none<Actor>()
      const { key, secretHash, role } = found.value
      const at = yield* now
      if (signer.hashOpaque(parsed.value.secret) !== secretHash || role === null || !Key.isLive(key, at)) {
        return Option.none<Actor>()
      }
      if (Key.shouldTouch(key, at)) yield* repo.touch(key.id, DateTime.toDateUtc(at))
      return Option.some(
        new Actor({ accountId: key.createdBy, orgId: key.orgId, role, apiKeyId: key.id, scopes: key.scopes })
      )
    })

    return ApiKeys.of({ create, list, get, revoke, authenticate })
  })
)
