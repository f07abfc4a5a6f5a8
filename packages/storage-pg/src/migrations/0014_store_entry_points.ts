import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Each WAITING or OFFERED entry carries its requester's stored score parts, written by the same
 * refresh that writes the standing and `base_points`. A line is then ranked from the entries
 * alone: no join to the standings, and the page needs no second read of its rows.
 *
 * Entries whose requester's standing is in doubt are scored live, as before; the columns are
 * only read for requesters whose standing holds.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE waitlist_entries
    ADD COLUMN role_points integer,
    ADD COLUMN late_points integer,
    ADD COLUMN fine_points integer,
    ADD COLUMN active_points integer`
  yield* sql`
    UPDATE waitlist_entries SET role_points = standings.role_points,
      late_points = standings.late_points, fine_points = standings.fine_points,
      active_points = standings.active_points
    FROM waitlist_standings AS standings
    WHERE standings.org_id = waitlist_entries.org_id
      AND standings.requester_id = waitlist_entries.requester_id
      AND waitlist_entries.status IN ('WAITING', 'OFFERED')`
})
