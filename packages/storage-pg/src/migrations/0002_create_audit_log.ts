import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * The audit log and its hash chain, both append-only for every role: the triggers refuse UPDATE,
 * DELETE and TRUNCATE whoever runs them. New events queue in `audit_pending` (filled by a
 * trigger) until the sealer chains them, so sealing costs what is pending, not the whole log.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE audit_events (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      actor_id uuid,
      entity_type text NOT NULL,
      entity_id text NOT NULL,
      action text NOT NULL CHECK (action IN ('CREATE', 'UPDATE', 'SOFT_DELETE', 'RESTORE', 'STATUS_CHANGE')),
      before jsonb,
      after jsonb,
      at timestamptz NOT NULL,
      request_id text NOT NULL,
      PRIMARY KEY (org_id, id)
    )`
  yield* sql`CREATE INDEX audit_events_org_at ON audit_events (org_id, at DESC, id DESC)`
  yield* sql`CREATE INDEX audit_events_org_entity ON audit_events (org_id, entity_type, entity_id)`
  yield* sql`
    CREATE TABLE audit_seals (
      org_id uuid NOT NULL,
      seq bigint NOT NULL,
      event_id uuid NOT NULL,
      prev_hash text NOT NULL,
      hash text NOT NULL,
      sealed_at timestamptz NOT NULL DEFAULT now(),
      PRIMARY KEY (org_id, seq),
      UNIQUE (org_id, event_id)
    )`
  yield* sql`
    CREATE TABLE audit_pending (
      org_id uuid NOT NULL,
      event_id uuid NOT NULL,
      at timestamptz NOT NULL,
      PRIMARY KEY (org_id, event_id)
    )`
  yield* sql`CREATE INDEX audit_pending_org_at ON audit_pending (org_id, at, event_id)`
  yield* sql.unsafe(`
    CREATE FUNCTION rota_audit_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the audit log is append-only: % on % refused', TG_OP, TG_TABLE_NAME
        USING ERRCODE = 'insufficient_privilege';
    END
    $$`)
  yield* sql.unsafe(`
    CREATE FUNCTION rota_audit_enqueue_seal() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO audit_pending (org_id, event_id, at) VALUES (NEW.org_id, NEW.id, NEW.at);
      RETURN NEW;
    END
    $$`)
  for (const table of ["audit_events", "audit_seals"]) {
    yield* sql.unsafe(`CREATE TRIGGER ${table}_no_update_delete BEFORE UPDATE OR DELETE ON ${table}
      FOR EACH ROW EXECUTE FUNCTION rota_audit_refuse_change()`)
    yield* sql.unsafe(`CREATE TRIGGER ${table}_no_truncate BEFORE TRUNCATE ON ${table}
      FOR EACH STATEMENT EXECUTE FUNCTION rota_audit_refuse_change()`)
  }
  yield* sql.unsafe(`CREATE TRIGGER audit_events_enqueue_seal AFTER INSERT ON audit_events
    FOR EACH ROW EXECUTE FUNCTION rota_audit_enqueue_seal()`)
})
