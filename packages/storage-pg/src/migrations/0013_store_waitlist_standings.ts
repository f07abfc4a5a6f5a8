import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Stored standings, so a line of thousands is ranked from an index instead of being scored
 * whole on every read.
 *
 * - `waitlist_standings`: each waiting requester's score parts other than waiting time, with
 *   the interval they hold for (`as_of` to `valid_until`: the next active booking to end, the
 *   next late return to leave the 90-day window).
 * - On each WAITING or OFFERED entry: `base_points` (the sum of those parts) and `rank_key`
 *   (`base_points` hours before `created_at`, in microseconds), whose order is the order of
 *   live scores among entries still gaining waiting points; `waited_out` marks entries past the
 *   waiting cap, ranked by `base_points` instead.
 * - `waitlist_standing_changes`: a row per write that may change a requester's standing (null
 *   requester: the whole org, after a settings change), written by triggers so that no write
 *   path can forget it. Until the refresh job consumes it, readers score that requester live.
 * - `waitlist_scoring`: per org, the weights the stored parts were computed with, and when the
 *   next refresh is due.
 *
 * Writers only insert change rows, never lock a standing; readers never trust what a change row,
 * an expired interval or other weights put in doubt, so stored values are an index, not a truth.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE waitlist_standing_changes (
      org_id uuid NOT NULL,
      requester_id uuid
    )`
  yield* sql`CREATE INDEX waitlist_standing_changes_org ON waitlist_standing_changes (org_id, requester_id)`
  yield* sql`
    CREATE TABLE waitlist_standings (
      org_id uuid NOT NULL,
      requester_id uuid NOT NULL,
      role_points integer NOT NULL,
      late_points integer NOT NULL,
      fine_points integer NOT NULL,
      active_points integer NOT NULL,
      as_of timestamptz NOT NULL,
      valid_until timestamptz NOT NULL,
      PRIMARY KEY (org_id, requester_id)
    )`
  yield* sql`
    CREATE TABLE waitlist_scoring (
      org_id uuid PRIMARY KEY,
      weights jsonb NOT NULL,
      as_of timestamptz NOT NULL,
      next_refresh_at timestamptz NOT NULL
    )`
  yield* sql`CREATE INDEX waitlist_scoring_due ON waitlist_scoring (next_refresh_at)`
  yield* sql`ALTER TABLE waitlist_entries
    ADD COLUMN base_points integer,
    ADD COLUMN rank_key bigint,
    ADD COLUMN waited_out boolean NOT NULL DEFAULT false`
  yield* sql`CREATE INDEX waitlist_line_by_key ON waitlist_entries (org_id, resource_id, rank_key DESC)
    WHERE status = 'WAITING' AND NOT waited_out`
  yield* sql`CREATE INDEX waitlist_line_waited_out ON waitlist_entries (org_id, resource_id, base_points DESC, created_at, id)
    WHERE status = 'WAITING' AND waited_out`
  yield* sql`CREATE INDEX waitlist_line_by_age ON waitlist_entries (org_id, waited_out, created_at)
    WHERE status = 'WAITING'`

  // One trigger function per table: the requester column differs, and a row moving between
  // requesters changes both standings.
  const watched = [
    { table: "bookings", requester: "requester_id", columns: "status, end_at, returned_at, late_minutes" },
    { table: "fines", requester: "account_id", columns: "status" },
    { table: "memberships", requester: "account_id", columns: "role, deleted_at" }
  ] as const
  for (const { table, requester, columns } of watched) {
    yield* sql.unsafe(`
      CREATE FUNCTION rota_waitlist_note_${table}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP <> 'INSERT' THEN
          INSERT INTO waitlist_standing_changes VALUES (OLD.org_id, OLD.${requester});
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.${requester} IS DISTINCT FROM OLD.${requester}) THEN
          INSERT INTO waitlist_standing_changes VALUES (NEW.org_id, NEW.${requester});
        END IF;
        RETURN NULL;
      END;
      $$`)
    yield* sql.unsafe(`CREATE TRIGGER ${table}_waitlist_standing AFTER INSERT OR DELETE OR UPDATE OF ${requester}, ${columns}
      ON ${table} FOR EACH ROW EXECUTE FUNCTION rota_waitlist_note_${table}()`)
  }
  // A new entry has no stored points yet: its requester is scored live until the refresh.
  yield* sql`
    CREATE FUNCTION rota_waitlist_note_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.status = 'WAITING' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM 'WAITING') THEN
        INSERT INTO waitlist_standing_changes VALUES (NEW.org_id, NEW.requester_id);
      END IF;
      RETURN NULL;
    END;
    $$`
  yield* sql`CREATE TRIGGER waitlist_entries_standing AFTER INSERT OR UPDATE OF status ON waitlist_entries
    FOR EACH ROW EXECUTE FUNCTION rota_waitlist_note_entry()`
  // New weights change every stored point of the org.
  yield* sql`
    CREATE FUNCTION rota_waitlist_note_settings() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.settings IS DISTINCT FROM OLD.settings THEN
        INSERT INTO waitlist_standing_changes VALUES (NEW.id, NULL);
      END IF;
      RETURN NULL;
    END;
    $$`
  yield* sql`CREATE TRIGGER organizations_waitlist_standing AFTER UPDATE OF settings ON organizations
    FOR EACH ROW EXECUTE FUNCTION rota_waitlist_note_settings()`
  // Lines that exist already are scored live until their first refresh.
  yield* sql`INSERT INTO waitlist_standing_changes (org_id)
    SELECT DISTINCT org_id FROM waitlist_entries WHERE status = 'WAITING'`
})
