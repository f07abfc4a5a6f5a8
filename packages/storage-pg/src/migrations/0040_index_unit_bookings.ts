import { Effect } from "effect"
import { SqlClient } from "effect/sql"

// A booking's keys that its listing orders and splits by, which its items now carry.
const keys = "start_at, created_at, status"

/**
 * A unit's bookings in page order: the listing filtered by `unitId` read the org's bookings in
 * page order and probed each one's items (about 64 x 21 bookings a page for a unit of 64). Each
 * item now carries its booking's start, creation and status, kept equal to the booking's by a
 * foreign key on all of them (`ON UPDATE CASCADE`: a reschedule or a status change rewrites the
 * items in the same statement, whatever writes it; checked at commit, as the key it replaces),
 * and a unit's items are indexed in each page order, by status too (a status set is read one
 * range per status, as for bookings). The index on `(org_id, unit_id)` alone is covered by them.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE booking_items ADD COLUMN start_at timestamptz, ADD COLUMN created_at timestamptz,
    ADD COLUMN status text`
  yield* sql`UPDATE booking_items SET start_at = bookings.start_at, created_at = bookings.created_at,
      status = bookings.status
    FROM bookings WHERE bookings.org_id = booking_items.org_id AND bookings.id = booking_items.booking_id`
  yield* sql`ALTER TABLE booking_items ALTER COLUMN start_at SET NOT NULL, ALTER COLUMN created_at SET NOT NULL,
    ALTER COLUMN status SET NOT NULL`
  yield* sql.unsafe(`ALTER TABLE bookings ADD CONSTRAINT bookings_listing_keys UNIQUE (org_id, id, ${keys})`)
  yield* sql`ALTER TABLE booking_items DROP CONSTRAINT booking_items_org_id_booking_id_fkey`
  yield* sql.unsafe(`ALTER TABLE booking_items ADD CONSTRAINT booking_items_booking_keys
    FOREIGN KEY (org_id, booking_id, ${keys}) REFERENCES bookings (org_id, id, ${keys})
    ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED`)
  // Rota writes the keys with each item. An item written without them (an org exported before
  // this migration and imported after it, a hand-written insert) takes them from its booking.
  yield* sql`
    CREATE FUNCTION rota_booking_item_keys() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      SELECT start_at, created_at, status INTO NEW.start_at, NEW.created_at, NEW.status
        FROM bookings WHERE org_id = NEW.org_id AND id = NEW.booking_id;
      RETURN NEW;
    END
    $$`
  yield* sql`
    CREATE TRIGGER booking_items_keys BEFORE INSERT ON booking_items FOR EACH ROW
    WHEN (NEW.start_at IS NULL OR NEW.created_at IS NULL OR NEW.status IS NULL)
    EXECUTE FUNCTION rota_booking_item_keys()`
  yield* sql`CREATE INDEX booking_items_unit_start ON booking_items (org_id, unit_id, start_at, booking_id)`
  yield* sql`CREATE INDEX booking_items_unit_created ON booking_items (org_id, unit_id, created_at, booking_id)`
  yield* sql`CREATE INDEX booking_items_unit_status_start
    ON booking_items (org_id, unit_id, status, start_at, booking_id)`
  yield* sql`CREATE INDEX booking_items_unit_status_created
    ON booking_items (org_id, unit_id, status, created_at, booking_id)`
  yield* sql`DROP INDEX booking_items_unit`
})

/**
 * Reverses the migration: the items lose the copied keys and their indexes, the index on
 * `(org_id, unit_id)` and the plain foreign key (checked at commit, as 0039 left it) come back.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE INDEX booking_items_unit ON booking_items (org_id, unit_id)`
  yield* sql`DROP TRIGGER booking_items_keys ON booking_items`
  yield* sql`DROP FUNCTION rota_booking_item_keys()`
  yield* sql`ALTER TABLE booking_items DROP CONSTRAINT booking_items_booking_keys`
  yield* sql`ALTER TABLE booking_items ADD CONSTRAINT booking_items_org_id_booking_id_fkey
    FOREIGN KEY (org_id, booking_id) REFERENCES bookings (org_id, id) DEFERRABLE INITIALLY DEFERRED`
  yield* sql`ALTER TABLE bookings DROP CONSTRAINT bookings_listing_keys`
  // Dropping the columns drops the indexes on them.
  yield* sql`ALTER TABLE booking_items DROP COLUMN start_at, DROP COLUMN created_at, DROP COLUMN status`
})
