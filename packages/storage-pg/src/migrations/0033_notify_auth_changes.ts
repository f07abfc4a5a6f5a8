import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Every change that can alter what a session resolves to (a session revoked, an account
 * suspended, a membership added, suspended, removed or given another role, an org's settings)
 * notifies `rota_auth` from the transaction that makes it. The notification is sent at commit,
 * to every server process, whichever use case wrote the row: a process's cache of resolved
 * sessions drops the entries it names, so a revoked member loses access on the next request.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE FUNCTION rota_notify_auth() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- Arguments: the payload's prefix and the column naming what changed.
      PERFORM pg_notify('rota_auth', TG_ARGV[0] || ':' ||
        (to_jsonb(CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END) ->> TG_ARGV[1]));
      RETURN NULL;
    END
    $$`
  yield* sql`
    CREATE TRIGGER auth_sessions_notify AFTER UPDATE OF revoked_at OR DELETE ON auth_sessions
    FOR EACH ROW EXECUTE FUNCTION rota_notify_auth('s', 'id')`
  yield* sql`
    CREATE TRIGGER accounts_notify AFTER UPDATE OF is_active OR DELETE ON accounts
    FOR EACH ROW EXECUTE FUNCTION rota_notify_auth('a', 'id')`
  yield* sql`
    CREATE TRIGGER memberships_notify AFTER INSERT OR UPDATE OF role, is_active, deleted_at OR DELETE
    ON memberships FOR EACH ROW EXECUTE FUNCTION rota_notify_auth('a', 'account_id')`
  yield* sql`
    CREATE TRIGGER organizations_notify AFTER UPDATE OF settings OR DELETE ON organizations
    FOR EACH ROW EXECUTE FUNCTION rota_notify_auth('o', 'id')`
})

/**
 * Drops the triggers that tell servers of session and membership changes.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DROP TRIGGER auth_sessions_notify ON auth_sessions`
  yield* sql`DROP TRIGGER accounts_notify ON accounts`
  yield* sql`DROP TRIGGER memberships_notify ON memberships`
  yield* sql`DROP TRIGGER organizations_notify ON organizations`
  yield* sql`DROP FUNCTION rota_notify_auth()`
})
