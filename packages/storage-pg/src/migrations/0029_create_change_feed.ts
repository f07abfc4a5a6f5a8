import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * The change feed: one row per org outbox message, its public facts only (topic, entity id,
 * time), numbered in commit order per org. The number is drawn by a deferred trigger at commit,
 * under a per-org advisory lock held until the commit ends, so a reader that has seen number N
 * never later finds a smaller one appear: a number drawn at insert time could commit after a
 * larger one and be skipped by a reader already past it. Outbox messages are purged once
 * delivered; the feed keeps its rows. Messages already in the outbox are numbered in time order.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE SEQUENCE change_feed_seq`
  yield* sql`
    CREATE TABLE change_feed (
      org_id uuid NOT NULL,
      seq bigint NOT NULL,
      topic text NOT NULL,
      entity_id text,
      occurred_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, seq)
    )`
  yield* sql.unsafe(`
    CREATE FUNCTION rota_change_entity_id(topic text, payload jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE AS $$
      SELECT COALESCE(payload->>'id', payload->>(split_part(topic, '.', 1) || 'Id'))
    $$`)
  yield* sql.unsafe(`
    CREATE FUNCTION rota_record_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(727028, hashtext(NEW.org_id::text));
      INSERT INTO change_feed (org_id, seq, topic, entity_id, occurred_at)
      VALUES (NEW.org_id, nextval('change_feed_seq'), NEW.topic,
        rota_change_entity_id(NEW.topic, NEW.payload), NEW.created_at);
      RETURN NULL;
    END $$`)
  yield* sql.unsafe(`
    CREATE CONSTRAINT TRIGGER outbox_messages_record_change AFTER INSERT ON outbox_messages
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.org_id IS NOT NULL)
    EXECUTE FUNCTION rota_record_change()`)
  yield* sql`
    INSERT INTO change_feed (org_id, seq, topic, entity_id, occurred_at)
    SELECT org_id, row_number() OVER (ORDER BY created_at, id), topic,
      rota_change_entity_id(topic, payload), created_at
    FROM outbox_messages WHERE org_id IS NOT NULL`
  yield* sql`SELECT setval('change_feed_seq', GREATEST((SELECT COALESCE(max(seq), 0) FROM change_feed), 1))`
})

/**
 * Drops the change feed and the trigger that fills it.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DROP TRIGGER outbox_messages_record_change ON outbox_messages`
  yield* sql`DROP FUNCTION rota_record_change()`
  yield* sql`DROP FUNCTION rota_change_entity_id(text, jsonb)`
  yield* sql`DROP TABLE change_feed`
  yield* sql`DROP SEQUENCE IF EXISTS change_feed_seq`
})
