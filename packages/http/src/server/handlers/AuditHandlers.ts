/**
 * @since 0.1.0
 */

import { AuditTrail, Pagination } from "@rota/core"
import { Effect } from "effect"
import { Api } from "../../api/Api.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = HandlerGroup.group(
  Api,
  "audit",
  Effect.fn(function* (handlers) {
    const trail = yield* AuditTrail.AuditTrail
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          trail.list({
            limit: query.limit ?? Pagination.defaultLimit,
            cursor: query.cursor,
            entityType: query.entityType,
            entityId: query.entityId,
            actorId: query.actorId,
            action: query.action,
            from: query.from,
            to: query.to
          })
        )
      )
      .handle("verify", () => toProblems(trail.verify))
  })
)
