/**
 * Blackouts: `/v1/blackouts`. Closures of a unit, a resource or a site, held on the time ledger
 * so nothing can be booked over them. Everyone reads them; managers set and remove them.
 *
 * @since 0.1.0
 */
import { Blackout, Ids, Pagination, ResourceUnit } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import { Instant, page } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

const IdParam = { id: Blackout.BlackoutId }

/**
 * @since 0.1.0
 * @category groups
 */
export class BlackoutsApi extends HttpApiGroup.make("blackouts")
  .add(
    HttpApiEndpoint.post("create", "/v1/blackouts", {
      headers: IdempotencyKeyHeader,
      payload: Schema.Struct({
        scope: Blackout.Scope,
        scopeId: Ids.Uuid,
        startAt: Instant,
        endAt: Instant,
        reason: Blackout.Reason
      }),
      success: withEtag(Blackout.Blackout.pipe(HttpApiSchema.status(201))),
      error: [Problems.NotFound, Problems.Conflict]
    })
      .annotate(OpenApi.Summary, "Close a unit, a resource or a site for a while")
      .annotate(Requires, "inventory.write")
      .middleware(Idempotent),
    HttpApiEndpoint.get("list", "/v1/blackouts", {
      query: {
        ...page,
        scope: Schema.optionalKey(Blackout.Scope),
        scopeId: Schema.optionalKey(Ids.Uuid),
        unitId: Schema.optionalKey(ResourceUnit.UnitId),
        from: Schema.optionalKey(Instant),
        to: Schema.optionalKey(Instant)
      },
      success: Pagination.Page(Blackout.Blackout)
    })
      .annotate(OpenApi.Summary, "List blackouts")
      .annotate(Requires, "inventory.read"),
    HttpApiEndpoint.get("get", "/v1/blackouts/:id", {
      params: IdParam,
      success: withEtag(Blackout.Blackout),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a blackout")
      .annotate(Requires, "inventory.read"),
    HttpApiEndpoint.delete("remove", "/v1/blackouts/:id", {
      params: IdParam,
      headers: IfMatch,
      success: HttpApiSchema.NoContent,
      error: [Problems.NotFound, Problems.PreconditionFailed, Problems.PreconditionRequired]
    })
      .annotate(OpenApi.Summary, "Remove a blackout")
      .annotate(Requires, "inventory.write")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Blackouts",
      description:
        "Closures and holidays held on the time ledger: a booking over one is 409 `conflict` naming " +
        "the blackout's interval, and a blackout over existing claims is refused the same way."
    })
  ) {}
