import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/** Messages written with the change that caused them, delivered after commit. */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE outbox_messages (
      id uuid PRIMARY KEY,
      org_id uuid,
      topic text NOT NULL,
      payload jsonb NOT NULL,
      created_at timestamptz NOT NULL,
      available_at timestamptz NOT NULL,
      attempts integer NOT NULL DEFAULT 0,
      leased_until timestamptz,
      delivered_at timestamptz,
      last_error text
    )`
  yield* sql`CREATE INDEX outbox_messages_due ON outbox_messages (available_at, id) WHERE delivered_at IS NULL`
  yield* sql`CREATE INDEX outbox_messages_delivered ON outbox_messages (delivered_at) WHERE delivered_at IS NOT NULL`
})
