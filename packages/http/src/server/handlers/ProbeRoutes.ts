/**
 * `GET /healthz`: the readiness answer under the name many orchestrators and load balancers
 * probe by default. It is a platform route like `/metrics`, outside the API definition.
 *
 * @since 0.1.0
 */
import { Database } from "@rota/storage-pg"
import { Effect } from "effect"
import { HttpRouter, HttpServerResponse } from "effect/http"
import { SqlClient } from "effect/sql"
import { version } from "../../api/Api.ts"

/**
 * 200 `{"status":"ok"}` when the database answers within 1.5 s, else a 503 problem (the edge
 * middleware turns the bare 503 into problem+json with `Retry-After`).
 *
 * @since 0.1.0
 * @category routes
 */
export const layer = HttpRouter.use(
  Effect.fnUntraced(function* (router) {
    const sql = yield* SqlClient.SqlClient
    const ping = Database.ping("1500 millis").pipe(Effect.provideService(SqlClient.SqlClient, sql))
    yield* router.add(
      "GET",
      "/healthz",
      Effect.map(ping, (ready) =>
        ready
          ? HttpServerResponse.jsonUnsafe({ status: "ok", version })
          : HttpServerResponse.empty({ status: 503 })
      )
    )
  })
)
