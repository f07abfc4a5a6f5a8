/**
 * @since 0.1.0
 */

import { type ApiKeys, ApiKeys as ApiKeysUseCase, Pagination } from "@rota/core"
import { Effect, Redacted } from "effect"
import { Api } from "../../api/Api.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

// The one place a key leaves the server: in the answer to whoever made it.
const withKey = ({ apiKey, key }: ApiKeys.WithSecret) => ({ apiKey, key: Redacted.value(key) })

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = HandlerGroup.group(
  Api,
  "apiKeys",
  Effect.fn(function* (handlers) {
    const keys = yield* ApiKeysUseCase.ApiKeys
    return handlers
      .handle("create", ({ payload }) => toProblems(Effect.map(keys.create(payload), withKey)))
      .handle("list", ({ query }) =>
        toProblems(keys.list({ limit: query.limit ?? Pagination.defaultLimit, cursor: query.cursor }))
      )
      .handle("get", ({ params }) => toProblems(keys.get(params.id)))
      .handle("revoke", ({ params }) => toProblems(keys.revoke(params.id)))
  })
)
