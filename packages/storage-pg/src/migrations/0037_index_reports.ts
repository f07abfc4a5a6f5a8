import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * What the reports read that no listing did: each intervention's first `started` event (lead
 * times), found by one short index range per intervention instead of its whole timeline.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX intervention_events_started ON intervention_events (org_id, intervention_id, at)
    WHERE type = 'started'`
})

/**
 * Drops the report indexes.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DROP INDEX intervention_events_started`
})
