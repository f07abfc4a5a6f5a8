/**
 * `/v1/webhooks`: an org's outgoing webhook endpoints, their deliveries, and redelivery.
 *
 * @since 0.1.0
 */
import { Ids, Pagination, Webhook } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"

/**
 * An endpoint and its secret: the only answers that carry the secret, once.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WithSecret = Schema.Struct({
  webhook: Webhook.Webhook,
  secret: Schema.String.annotate({
    description: "The signing secret, shown this once: keep it where the receiver can read it."
  })
})

const Changes = Schema.Struct({
  url: Schema.optionalKey(Webhook.WebhookUrl),
  topics: Schema.optionalKey(Webhook.TopicFilters),
  description: Schema.optionalKey(Webhook.Description),
  enabled: Schema.optionalKey(Schema.Boolean)
})

const id = { id: Ids.Uuid }
const docs = "docs/webhooks.md"

/**
 * @since 0.1.0
 * @category groups
 */
export class WebhooksApi extends HttpApiGroup.make("webhooks")
  .add(
    // No idempotency key on the two answers that carry a secret: a stored answer would keep
    // the secret in clear.
    HttpApiEndpoint.post("create", "/v1/webhooks", {
      payload: Schema.Struct({
        url: Webhook.WebhookUrl,
        topics: Webhook.TopicFilters,
        description: Schema.optionalKey(Webhook.Description),
        enabled: Schema.optionalKey(Schema.Boolean)
      }),
      success: WithSecret.pipe(HttpApiSchema.status(201)),
      error: Problems.ValidationFailed
    })
      .annotate(Requires, "webhook.manage")
      .annotate(OpenApi.Summary, "Register a webhook endpoint")
      .annotate(
        OpenApi.Description,
        "Events whose topic matches `topics` (`*`, `booking.approved`, `booking.*`) are POSTed to " +
          "`url`, signed with the secret answered here once. The URL must be http(s) and resolve to " +
          `public addresses only. See ${docs}.`
      ),
    HttpApiEndpoint.get("list", "/v1/webhooks", {
      success: Schema.Struct({ items: Schema.Array(Webhook.Webhook) })
    })
      .annotate(Requires, "webhook.manage")
      .annotate(OpenApi.Summary, "List webhook endpoints")
      .annotate(OpenApi.Description, "The org's endpoints, oldest first; never their secrets."),
    HttpApiEndpoint.get("get", "/v1/webhooks/:id", {
      params: id,
      success: Webhook.Webhook,
      error: Problems.NotFound
    })
      .annotate(Requires, "webhook.manage")
      .annotate(OpenApi.Summary, "Read a webhook endpoint")
      .annotate(
        OpenApi.Description,
        "The endpoint, with `disabledReason` when deliveries stopped after repeated failures."
      ),
    HttpApiEndpoint.patch("update", "/v1/webhooks/:id", {
      params: id,
      headers: IdempotencyKeyHeader,
      payload: Changes,
      success: Webhook.Webhook,
      error: [Problems.NotFound, Problems.ValidationFailed]
    })
      .annotate(Requires, "webhook.manage")
      .annotate(OpenApi.Summary, "Change a webhook endpoint")
      .annotate(
        OpenApi.Description,
        "Changes the URL (checked again), the topics, the description or `enabled`. Enabling an " +
          "endpoint that was disabled for failures clears `disabledReason` and resumes its deliveries."
      )
      .middleware(Idempotent),
    HttpApiEndpoint.delete("remove", "/v1/webhooks/:id", {
      params: id,
      headers: IdempotencyKeyHeader,
      success: HttpApiSchema.NoContent,
      error: Problems.NotFound
    })
      .annotate(Requires, "webhook.manage")
      .annotate(OpenApi.Summary, "Delete a webhook endpoint")
      .annotate(OpenApi.Description, "No further event is sent to it; its pending deliveries stop.")
      .middleware(Idempotent),
    HttpApiEndpoint.post("rotateSecret", "/v1/webhooks/:id/rotate-secret", {
      params: id,
      success: WithSecret,
      error: Problems.NotFound
    })
      .annotate(Requires, "webhook.manage")
      .annotate(OpenApi.Summary, "Rotate a webhook endpoint's secret")
      .annotate(
        OpenApi.Description,
        "A new secret signs every request from now on (retries of older events included); it is " +
          "answered here once."
      ),
    HttpApiEndpoint.get("deliveries", "/v1/webhooks/:id/deliveries", {
      params: id,
      query: { limit: Schema.optionalKey(Schema.NumberFromString.pipe(Schema.decodeTo(Pagination.Limit))) },
      success: Schema.Struct({ items: Schema.Array(Webhook.Delivery) }),
      error: Problems.NotFound
    })
      .annotate(Requires, "webhook.manage")
      .annotate(OpenApi.Summary, "List an endpoint's deliveries")
      .annotate(
        OpenApi.Description,
        "The delivery log, newest first (`limit`, 1..100, default 50): status, attempts, the last " +
          "response status and error, and when the next attempt is due."
      ),
    HttpApiEndpoint.post("redeliver", "/v1/webhooks/:id/deliveries/:deliveryId/redeliver", {
      params: { id: Ids.Uuid, deliveryId: Ids.Uuid },
      headers: IdempotencyKeyHeader,
      success: Webhook.Delivery.pipe(HttpApiSchema.status(202)),
      error: Problems.NotFound
    })
      .annotate(Requires, "webhook.manage")
      .annotate(OpenApi.Summary, "Send a delivery again")
      .annotate(
        OpenApi.Description,
        "The same event (same `Rota-Event-Id` and body, a fresh signature) is sent again as soon as " +
          "possible, whatever its state; the answer is the delivery, due now."
      )
      .middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Webhooks",
      description: "Outgoing webhooks: signed HTTP POSTs of the org's events to its endpoints."
    })
  ) {}
