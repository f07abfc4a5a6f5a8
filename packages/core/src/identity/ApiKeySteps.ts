/**
 * The steps of the API keys use case: what it works with, the live key, writing a change with
 * its audit event and message, and making, revoking and authenticating keys.
 *
 * @since 0.1.0
 */
import { Clock, DateTime, Effect, Option, Redacted } from "effect"
import type * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import { Forbidden, NotFound, ValidationFailed } from "../kernel/Errors.ts"
import { ApiKeyId, type Ids, nextId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
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
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    repo: yield* ApiKeyRepo,
    signer: yield* TokenSigner,
    transactor: yield* Transactor,
    context: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>

const entity = "api_key"

const now = Effect.map(Clock.currentTimeMillis, (millis) => DateTime.makeUnsafe(millis))

// Every scope must be one the caller holds now: a key never grants more than its maker has.
const checkScopes = (actor: Actor, scopes: ReadonlyArray<Permissions.Permission>) => {
  const missing = scopes.find((scope) => !Permissions.allows(actor, scope))
  return missing === undefined ? Effect.void : Effect.fail(new Forbidden({ permission: missing }))
}

/**
 * The caller's org's key, for a caller who manages keys.
 *
 * @since 0.1.0
 * @category steps
 */
export const live = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    yield* Permissions.require("api_key.manage")
    const actor = yield* CurrentActor
    const found = yield* deps.repo.find(actor.orgId, id)
    if (Option.isNone(found)) return yield* new NotFound({ entity, id })
    return found.value
  })

// The change, its audit event and its outbox message commit together; the message names the key
// only.
const written = (
  deps: Deps,
  action: Audit.AuditAction,
  before: Key.ApiKey | null,
  after: Key.ApiKey,
  topic: string,
  write: Effect.Effect<void>
) =>
  deps.transactor
    .withTransaction(
      Effect.andThen(
        write,
        ChangeRecord.record(
          { entityType: entity, entityId: after.id, action, before, after },
          { orgId: after.orgId, topic, payload: { id: after.id } }
        )
      )
    )
    .pipe(Effect.provide(deps.context))

/**
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) =>
  Effect.fnUntraced(function* (fields: Fields) {
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
    const id = yield* Effect.provide(nextId(ApiKeyId), deps.context)
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
    const secret = yield* deps.signer.opaque
    yield* written(deps, "CREATE", null, apiKey, "api_key.created", deps.repo.insert(apiKey, secret.hash))
    return { apiKey, key: Redacted.make(Key.format(id, secret.token)) }
  })

/**
 * Revoking a revoked key answers it unchanged.
 *
 * @since 0.1.0
 * @category steps
 */
export const revoke = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    const before = yield* live(deps)(id)
    if (before.revokedAt !== null) return before
    const at = yield* now
    const after = new Key.ApiKey({ ...before, revokedAt: at })
    yield* written(
      deps,
      "STATUS_CHANGE",
      before,
      after,
      "api_key.revoked",
      deps.repo.revoke(before.orgId, before.id, at)
    )
    return after
  })

/**
 * The actor a credential stands for, if it is a live key whose creator is still in its org.
 *
 * @since 0.1.0
 * @category steps
 */
export const authenticate = (deps: Deps) =>
  Effect.fnUntraced(function* (credential: string) {
    const parsed = Key.parse(credential)
    if (Option.isNone(parsed)) return Option.none<Actor>()
    const found = yield* deps.repo.resolve(parsed.value.id)
    if (Option.isNone(found)) return Option.none<Actor>()
    const { key, secretHash, role } = found.value
    const at = yield* now
    if (deps.signer.hashOpaque(parsed.value.secret) !== secretHash || role === null || !Key.isLive(key, at)) {
      return Option.none<Actor>()
    }
    if (Key.shouldTouch(key, at)) yield* deps.repo.touch(key.id, at)
    return Option.some(
      new Actor({ accountId: key.createdBy, orgId: key.orgId, role, apiKeyId: key.id, scopes: key.scopes })
    )
  })
