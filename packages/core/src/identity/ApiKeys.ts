/**
 * The API keys use case: people with `api_key.manage` make keys for machine clients, list and
 * revoke them; the server authenticates requests carrying one. A key's scopes must be
 * permissions its creator holds, and it acts only while its creator still belongs to the org.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, type Option } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Forbidden, NotFound, ValidationFailed } from "../kernel/Errors.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { type Actor, CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type * as Key from "./ApiKey.ts"
import type { ApiKeyRepo } from "./ApiKeyRepo.ts"
import type { Fields, WithSecret } from "./ApiKeySteps.ts"
import * as Steps from "./ApiKeySteps.ts"
import type { TokenSigner } from "./TokenSigner.ts"

export type {
  /** @since 0.1.0 */
  Fields,
  /** @since 0.1.0 */
  WithSecret
} from "./ApiKeySteps.ts"

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
    const deps = yield* Steps.make
    return ApiKeys.of({
      create: Effect.fn("ApiKeys.create")(Steps.create(deps)),
      list: Effect.fn("ApiKeys.list")(function* (page: PageRequest) {
        yield* Permissions.require("api_key.manage")
        return yield* deps.repo.list((yield* CurrentActor).orgId, page)
      }),
      get: Effect.fn("ApiKeys.get")(Steps.live(deps)),
      revoke: Effect.fn("ApiKeys.revoke")(Steps.revoke(deps)),
      authenticate: Effect.fn("ApiKeys.authenticate")(Steps.authenticate(deps))
    })
  })
)
