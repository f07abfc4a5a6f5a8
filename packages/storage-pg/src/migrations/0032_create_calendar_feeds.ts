import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Calendar feeds: the token of a feed's URL is kept only as its hash (unique, how the public
 * route finds the feed); a revoked feed stays, with `revoked_at`, for the audit trail.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE calendar_feeds (
    id uuid PRIMARY KEY,
    org_id uuid NOT NULL REFERENCES organizations (id),
    kind text NOT NULL CHECK (kind IN ('person', 'resource')),
    subject_id uuid NOT NULL,
    token_hash text NOT NULL UNIQUE,
    created_by uuid NOT NULL,
    created_at timestamptz NOT NULL,
    revoked_at timestamptz
  )`
  yield* sql`CREATE INDEX calendar_feeds_live ON calendar_feeds (org_id, created_at, id) WHERE revoked_at IS NULL`
})

/**
 * Drops the calendar feeds (their URLs stop working).
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DROP TABLE calendar_feeds`
})
