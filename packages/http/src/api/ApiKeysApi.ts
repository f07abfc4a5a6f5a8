/**
 * `/v1/api-keys`: an org's keys for machine clients. The key itself is answered once, at
 * creation; afterwards it is sent as `Authorization: Bearer rota_live_...` or `X-Api-Key`.
 *
 * @since 0.1.0
 */
import { ApiKey, Ids, Pagination, Timestamp } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { page } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"

/**
 * A new key with its secret: the only answer that carries it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WithKey = Schema.Struct({
  apiKey: ApiKey.ApiKey,
  key: Schema.String.annotate({
    description: "The key, shown this once: store it where the client reads its secrets."
  })
})

const id = { id: Ids.Uuid }
const docs = "docs/api-keys.md"

/**
 * @since 0.1.0
 * @category groups
 */
export class ApiKeysApi extends HttpApiGroup.make("apiKeys")
  .add(
    // No idempotency key: a stored answer would keep the key in clear.
    HttpApiEndpoint.post("create", "/v1/api-keys", {
      payload: Schema.Struct({
        name: ApiKey.KeyName,
        scopes: ApiKey.Scopes,
        expiresAt: Schema.optionalKey(Schema.NullOr(Timestamp.Timestamp))
      }),
      success: WithKey.pipe(HttpApiSchema.status(201)),
      error: Problems.ValidationFailed
    })
      .annotate(Requires, "api_key.manage")
      .annotate(OpenApi.Summary, "Create an API key")
      .annotate(
        OpenApi.Description,
        "A key for a machine client, acting in this org with exactly `scopes` (each one a permission " +
          "the caller holds, else 403). The key is answered here once; only its hash is kept. " +
          `See ${docs}.`
      ),
    HttpApiEndpoint.get("list", "/v1/api-keys", {
      query: page,
      success: Pagination.Page(ApiKey.ApiKey)
    })
      .annotate(Requires, "api_key.manage")
      .annotate(OpenApi.Summary, "List API keys")
      .annotate(
        OpenApi.Description,
        "The org's keys, oldest first, revoked ones included; never their secrets."
      ),
    HttpApiEndpoint.get("get", "/v1/api-keys/:id", {
      params: id,
      success: ApiKey.ApiKey,
      error: Problems.NotFound
    })
      .annotate(Requires, "api_key.manage")
      .annotate(OpenApi.Summary, "Read an API key")
      .annotate(
        OpenApi.Description,
        "The key's name, scopes, expiry, last use (to the minute) and revocation."
      ),
    HttpApiEndpoint.delete("revoke", "/v1/api-keys/:id", {
      params: id,
      success: ApiKey.ApiKey,
      error: Problems.NotFound
    })
      .annotate(Requires, "api_key.manage")
      .annotate(OpenApi.Summary, "Revoke an API key")
      .annotate(
        OpenApi.Description,
        "The key is refused (401) from the next request on, on every server. Revoking it again " +
          "answers it unchanged."
      )
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "API keys",
      description: "Keys for machine clients: per org, scoped to permissions, shown once, revocable."
    })
  ) {}
