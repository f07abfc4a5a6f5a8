import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/** Idempotency keys, scoped to org + account, with the response kept for replay. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE idempotency_keys (
      org_id uuid NOT NULL,
      account_id uuid NOT NULL,
      key text NOT NULL,
      fingerprint text NOT NULL,
      created_at timestamptz NOT NULL,
      lease_until timestamptz NOT NULL,
      response_status integer,
      response_headers jsonb,
      response_body text,
      PRIMARY KEY (org_id, account_id, key)
    )`
  yield* sql`CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at)`
})
