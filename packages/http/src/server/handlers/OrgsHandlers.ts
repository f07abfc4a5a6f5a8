/**
 * @since 0.1.0
 */

import { Ids, Orgs } from "@rota/core"
import { Effect, Layer } from "effect"
import { Api } from "../../api/Api.ts"
import { CurrentAccount } from "../../api/Security.ts"
import { personOnly } from "../edge/PersonOnly.ts"
import * as Preconditions from "../edge/Preconditions.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

const accountId = Effect.map(Effect.service(CurrentAccount), (account) =>
  Ids.AccountId.make(account.accountId)
)

const orgsHandlers = HandlerGroup.group(
  Api,
  "orgs",
  Effect.fn(function* (handlers) {
    const orgs = yield* Orgs.Orgs
    return handlers
      .handle("listMine", () =>
        personOnly(Effect.map(Effect.flatMap(accountId, orgs.listMine), (items) => ({ items })))
      )
      .handle("create", ({ payload }) =>
        personOnly(Effect.flatMap(accountId, (id) => orgs.create(id, payload)))
      )
  })
)

const orgHandlers = HandlerGroup.group(
  Api,
  "org",
  Effect.fn(function* (handlers) {
    const orgs = yield* Orgs.Orgs
    return handlers
      .handle("get", () => toProblems(orgs.current))
      .handle("update", ({ headers, payload }) =>
        Effect.gen(function* () {
          const expected = Preconditions.ifMatch(headers, true)
          const current = yield* toProblems(orgs.current)
          const settings =
            payload.settings === undefined ? undefined : { ...current.settings, ...payload.settings }
          return yield* toProblems(
            orgs.update(expected, { name: payload.name, timezone: payload.timezone, settings })
          )
        })
      )
  })
)

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = Layer.mergeAll(orgsHandlers, orgHandlers)
