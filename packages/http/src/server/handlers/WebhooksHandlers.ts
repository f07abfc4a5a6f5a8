/**
 * @since 0.1.0
 */

import { type Webhooks, Webhooks as WebhooksUseCase } from "@rota/core"
import { Effect, Redacted } from "effect"
import { Api } from "../../api/Api.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

// The one place a secret leaves the server: in the answer to whoever made or rotated it.
const withSecret = ({ webhook, secret }: Webhooks.WithSecret) => ({ webhook, secret: Redacted.value(secret) })

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = HandlerGroup.group(
  Api,
  "webhooks",
  Effect.fn(function* (handlers) {
    const webhooks = yield* WebhooksUseCase.Webhooks
    return handlers
      .handle("create", ({ payload }) => toProblems(Effect.map(webhooks.create(payload), withSecret)))
      .handle("list", () => toProblems(Effect.map(webhooks.list, (items) => ({ items }))))
      .handle("get", ({ params }) => toProblems(webhooks.get(params.id)))
      .handle("update", ({ params, payload }) => toProblems(webhooks.update(params.id, payload)))
      .handle("remove", ({ params }) => toProblems(webhooks.remove(params.id)))
      .handle("rotateSecret", ({ params }) =>
        toProblems(Effect.map(webhooks.rotateSecret(params.id), withSecret))
      )
      .handle("deliveries", ({ params, query }) =>
        toProblems(Effect.map(webhooks.deliveries(params.id, query.limit ?? 50), (items) => ({ items })))
      )
      .handle("redeliver", ({ params }) => toProblems(webhooks.redeliver(params.id, params.deliveryId)))
  })
)
