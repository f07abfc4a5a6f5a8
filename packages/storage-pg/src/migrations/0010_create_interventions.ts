import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Interventions, their assignees, timeline, parts used and documents (metadata and bytes).
 * Numbers come from a per-org counter row, taken inside the creating transaction, and are unique
 * per org. References carry the org id, so nothing points across tenants; clients and assignees
 * reference the org's memberships. Timeline events are append-only: a trigger refuses UPDATE,
 * DELETE and TRUNCATE for every role. Documents' bytes live in `document_blobs`, shared by every
 * server of a deployment.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE intervention_counters (
      org_id uuid PRIMARY KEY,
      last_number integer NOT NULL CHECK (last_number > 0)
    )`
  yield* sql`
    CREATE TABLE interventions (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      number integer NOT NULL CHECK (number > 0),
      title text NOT NULL,
      description text,
      kind text NOT NULL CHECK (kind IN ('CORRECTIVE', 'PREVENTIVE')),
      priority text NOT NULL CHECK (priority IN ('LOW', 'NORMAL', 'HIGH', 'URGENT')),
      status text NOT NULL CHECK (status IN ('PENDING', 'IN_PROGRESS', 'WAITING_PARTS', 'COMPLETED', 'CANCELLED')),
      client_id uuid,
      resource_id uuid,
      unit_id uuid,
      subject text,
      site_id uuid,
      scheduled_start timestamptz,
      scheduled_end timestamptz,
      due_at timestamptz,
      completed_at timestamptz,
      completed_by uuid,
      parts_cost_amount bigint CHECK (parts_cost_amount >= 0),
      parts_cost_currency char(3),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, client_id) REFERENCES memberships (org_id, account_id),
      FOREIGN KEY (org_id, resource_id) REFERENCES resources (org_id, id),
      FOREIGN KEY (org_id, unit_id) REFERENCES resource_units (org_id, id),
      FOREIGN KEY (org_id, site_id) REFERENCES sites (org_id, id),
      CHECK ((scheduled_start IS NULL) = (scheduled_end IS NULL)),
      CHECK (scheduled_end > scheduled_start),
      CHECK ((parts_cost_amount IS NULL) = (parts_cost_currency IS NULL))
    )`
  yield* sql`CREATE UNIQUE INDEX interventions_number_key ON interventions (org_id, number)`
  yield* sql`CREATE INDEX interventions_org_created ON interventions (org_id, created_at, id)`
  yield* sql`CREATE INDEX interventions_org_client ON interventions (org_id, client_id, created_at, id)`
  yield* sql`CREATE INDEX interventions_org_completed ON interventions (org_id, completed_at) WHERE status = 'COMPLETED'`
  yield* sql`
    CREATE TABLE intervention_assignees (
      org_id uuid NOT NULL,
      intervention_id uuid NOT NULL,
      account_id uuid NOT NULL,
      PRIMARY KEY (org_id, intervention_id, account_id),
      FOREIGN KEY (org_id, intervention_id) REFERENCES interventions (org_id, id),
      FOREIGN KEY (org_id, account_id) REFERENCES memberships (org_id, account_id)
    )`
  yield* sql`CREATE INDEX intervention_assignees_account ON intervention_assignees (org_id, account_id)`
  yield* sql`
    CREATE TABLE intervention_events (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      intervention_id uuid NOT NULL,
      type text NOT NULL,
      actor_id uuid,
      at timestamptz NOT NULL,
      data jsonb NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, intervention_id) REFERENCES interventions (org_id, id)
    )`
  yield* sql`CREATE INDEX intervention_events_timeline ON intervention_events (org_id, intervention_id, at, id)`
  yield* sql`
    CREATE FUNCTION rota_timeline_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'the intervention timeline is append-only: % on % refused', TG_OP, TG_TABLE_NAME;
    END;
    $$`
  yield* sql`CREATE TRIGGER intervention_events_no_update_delete BEFORE UPDATE OR DELETE ON intervention_events
    FOR EACH ROW EXECUTE FUNCTION rota_timeline_refuse_change()`
  yield* sql`CREATE TRIGGER intervention_events_no_truncate BEFORE TRUNCATE ON intervention_events
    FOR EACH STATEMENT EXECUTE FUNCTION rota_timeline_refuse_change()`
  yield* sql`
    CREATE TABLE intervention_parts (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      intervention_id uuid NOT NULL,
      part_id uuid NOT NULL,
      quantity integer NOT NULL CHECK (quantity > 0),
      unit_price_amount bigint NOT NULL CHECK (unit_price_amount >= 0),
      currency char(3) NOT NULL,
      total_amount bigint NOT NULL CHECK (total_amount >= 0),
      used_by uuid NOT NULL,
      used_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, intervention_id) REFERENCES interventions (org_id, id),
      FOREIGN KEY (org_id, part_id) REFERENCES parts (org_id, id)
    )`
  yield* sql`CREATE INDEX intervention_parts_intervention ON intervention_parts (org_id, intervention_id, used_at, id)`
  yield* sql`
    CREATE TABLE documents (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      intervention_id uuid NOT NULL,
      filename text NOT NULL,
      content_type text NOT NULL,
      size integer NOT NULL CHECK (size >= 0),
      sha256 text NOT NULL,
      storage_key uuid NOT NULL,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, intervention_id) REFERENCES interventions (org_id, id)
    )`
  yield* sql`CREATE INDEX documents_intervention ON documents (org_id, intervention_id, created_at, id)`
  yield* sql`
    CREATE TABLE document_blobs (
      org_id uuid NOT NULL,
      key uuid NOT NULL,
      bytes bytea NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, key)
    )`
})
