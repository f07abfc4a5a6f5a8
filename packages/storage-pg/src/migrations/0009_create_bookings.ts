import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Bookings with their units, fines and fine payments. The no-double-booking rule is not here:
 * it is the ledger's exclusion constraint (`allocations`), which every booking item claims.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE bookings (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      requester_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN
        ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED', 'CHECKED_OUT', 'OVERDUE', 'RETURNED')),
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      purpose text NOT NULL,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      approved_by uuid,
      approved_at timestamptz,
      cancelled_at timestamptz,
      checked_out_at timestamptz,
      returned_at timestamptz,
      late_minutes integer NOT NULL DEFAULT 0 CHECK (late_minutes >= 0),
      PRIMARY KEY (org_id, id),
      CHECK (end_at > start_at)
    )`
  yield* sql`CREATE INDEX bookings_org_start ON bookings (org_id, start_at, id)`
  yield* sql`CREATE INDEX bookings_org_created ON bookings (org_id, created_at, id)`
  yield* sql`CREATE INDEX bookings_requester ON bookings (org_id, requester_id, start_at)`
  // Lists filtered by status read one index range in page order.
  yield* sql`CREATE INDEX bookings_org_status_start ON bookings (org_id, status, start_at, id)`
  // The overdue scan reads only checked-out bookings.
  yield* sql`CREATE INDEX bookings_checked_out_end ON bookings (end_at) WHERE status = 'CHECKED_OUT'`
  yield* sql`
    CREATE TABLE booking_items (
      org_id uuid NOT NULL,
      booking_id uuid NOT NULL,
      unit_id uuid NOT NULL,
      resource_id uuid NOT NULL,
      PRIMARY KEY (org_id, booking_id, unit_id),
      FOREIGN KEY (org_id, booking_id) REFERENCES bookings (org_id, id),
      FOREIGN KEY (org_id, unit_id) REFERENCES resource_units (org_id, id)
    )`
  yield* sql`CREATE INDEX booking_items_unit ON booking_items (org_id, unit_id)`
  yield* sql`CREATE INDEX booking_items_resource ON booking_items (org_id, resource_id)`
  yield* sql`
    CREATE TABLE fines (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      account_id uuid NOT NULL,
      booking_id uuid,
      amount bigint NOT NULL CHECK (amount > 0),
      currency char(3) NOT NULL,
      paid bigint NOT NULL DEFAULT 0,
      reason text NOT NULL,
      status text NOT NULL CHECK (status IN ('OPEN', 'PAID', 'WAIVED')),
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, booking_id) REFERENCES bookings (org_id, id),
      CHECK (paid >= 0 AND paid <= amount)
    )`
  yield* sql`CREATE INDEX fines_org_created ON fines (org_id, created_at, id)`
  yield* sql`CREATE INDEX fines_account ON fines (org_id, account_id, created_at)`
  yield* sql`
    CREATE TABLE fine_payments (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      fine_id uuid NOT NULL,
      amount bigint NOT NULL CHECK (amount > 0),
      paid_by uuid NOT NULL,
      at timestamptz NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, fine_id) REFERENCES fines (org_id, id)
    )`
})
