import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Outgoing webhooks: per-org endpoints (their signing secret sealed with the server's key, never
 * in clear) and one delivery row per (outbox message, endpoint), unique, so a message reaches an
 * endpoint once however many servers fan it out. The outbox gains the moment a message was
 * fanned out to webhooks, a consumer of its own beside the notification delivery; messages
 * already there were written before any endpoint existed and count as fanned out.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE webhook_endpoints (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organizations (id),
      url text NOT NULL,
      topics text[] NOT NULL,
      description text NOT NULL DEFAULT '',
      enabled boolean NOT NULL DEFAULT true,
      disabled_reason text,
      sealed_secret text NOT NULL,
      consecutive_failures integer NOT NULL DEFAULT 0,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      deleted_at timestamptz
    )`
  yield* sql`CREATE INDEX webhook_endpoints_org ON webhook_endpoints (org_id, created_at, id) WHERE deleted_at IS NULL`
  yield* sql`
    CREATE TABLE webhook_deliveries (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL,
      endpoint_id uuid NOT NULL REFERENCES webhook_endpoints (id),
      message_id uuid NOT NULL,
      topic text NOT NULL,
      body text NOT NULL,
      status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
      attempts integer NOT NULL DEFAULT 0,
      response_status integer,
      last_error text,
      next_attempt_at timestamptz,
      leased_until timestamptz,
      created_at timestamptz NOT NULL,
      delivered_at timestamptz,
      UNIQUE (message_id, endpoint_id)
    )`
  yield* sql`CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending'`
  yield* sql`CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`
  yield* sql`ALTER TABLE outbox_messages ADD COLUMN webhooks_at timestamptz`
  yield* sql`UPDATE outbox_messages SET webhooks_at = created_at`
  yield* sql`CREATE INDEX outbox_messages_webhooks_due ON outbox_messages (created_at, id) WHERE webhooks_at IS NULL`
})
