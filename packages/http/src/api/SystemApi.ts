/**
 * Liveness, readiness and version: the routes load balancers and orchestrators call.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "effect/http-api"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"

/**
 * @since 0.1.0
 * @category schemas
 */
export const Health = Schema.Struct({ status: Schema.Literal("ok"), version: Schema.String })

/**
 * @since 0.1.0
 * @category schemas
 */
export const Probe = Schema.Struct({ status: Schema.Literals(["ok", "unavailable"]) })

/**
 * @since 0.1.0
 * @category groups
 */
export class SystemApi extends HttpApiGroup.make("system", { topLevel: true })
  .add(
    HttpApiEndpoint.get("health", "/health", { success: Health })
      .annotate(OpenApi.Summary, "Health and version")
      .annotate(OpenApi.Description, "The server runs; answers its version."),
    HttpApiEndpoint.get("livez", "/livez", { success: Probe })
      .annotate(OpenApi.Summary, "Liveness probe")
      .annotate(OpenApi.Description, "The process is alive; never checks dependencies."),
    HttpApiEndpoint.get("readyz", "/readyz", { success: Probe, error: Problems.Unavailable })
      .annotate(OpenApi.Summary, "Readiness probe")
      .annotate(OpenApi.Description, "The server can serve traffic: the database answers within 2 s.")
  )
  .middleware(InputGuard)
  .annotateMerge(
    OpenApi.annotations({ title: "System", description: "Health, liveness and readiness probes." })
  ) {}
