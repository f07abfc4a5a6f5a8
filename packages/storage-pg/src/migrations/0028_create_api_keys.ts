import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * API keys: per org, with the permissions they hold and the SHA-256 of their secret (the secret
 * itself is never stored). Looked up by id, which the key's visible prefix carries.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE api_keys (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL REFERENCES organizations (id),
      name text NOT NULL,
      scopes text[] NOT NULL,
      secret_hash text NOT NULL,
      created_by uuid NOT NULL REFERENCES accounts (id),
      created_at timestamptz NOT NULL,
      expires_at timestamptz,
      last_used_at timestamptz,
      revoked_at timestamptz
    )`
  yield* sql`CREATE INDEX api_keys_org ON api_keys (org_id, id)`
})

/**
 * Drops the API keys (every key stops working).
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DROP TABLE api_keys`
})
