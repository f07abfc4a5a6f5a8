/**
 * @since 0.1.0
 */

import { RequestContext } from "@rota/core"
import { Database } from "@rota/storage-pg"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { Api, version } from "../../api/Api.ts"
import * as Problems from "../../api/Problems.ts"
import * as HandlerGroup from "./HandlerGroup.ts"

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = HandlerGroup.group(
  Api,
  "system",
  Effect.fn(function* (handlers) {
    const sql = yield* SqlClient.SqlClient
    // Short of the 2 s a probe may take: the answer leaves time to travel back.
    const ping = Database.ping("1500 millis").pipe(Effect.provideService(SqlClient.SqlClient, sql))
    return handlers
      .handle("health", () => Effect.succeed({ status: "ok" as const, version }))
      .handle("livez", () => Effect.succeed({ status: "ok" as const }))
      .handle("readyz", () =>
        Effect.flatMap(ping, (ready) =>
          ready
            ? Effect.succeed({ status: "ok" as const })
            : Effect.flatMap(Effect.service(RequestContext.CurrentRequestId), (requestId) =>
                Effect.fail(new Problems.Unavailable({ requestId, detail: "The database does not answer." }))
              )
        )
      )
  })
)
