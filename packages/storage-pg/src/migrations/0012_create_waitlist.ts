import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * The waitlist. An offered unit is held by a ledger allocation (source `waitlist_offer`), not
 * here; the entry only names it.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE waitlist_entries (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      requester_id uuid NOT NULL,
      resource_id uuid NOT NULL,
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      purpose text NOT NULL,
      priority_score integer NOT NULL DEFAULT 0,
      status text NOT NULL CHECK (status IN
        ('WAITING', 'OFFERED', 'ACCEPTED', 'DECLINED', 'EXPIRED', 'CANCELLED', 'REFUSED')),
      offered_unit_id uuid,
      offer_start_at timestamptz,
      offer_end_at timestamptz,
      offer_expires_at timestamptz,
      booking_id uuid,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, resource_id) REFERENCES resources (org_id, id),
      CHECK (end_at > start_at)
    )`
  yield* sql`CREATE INDEX waitlist_resource_status ON waitlist_entries (org_id, resource_id, status, created_at, id)`
  yield* sql`CREATE INDEX waitlist_requester ON waitlist_entries (org_id, requester_id)`
  yield* sql`CREATE INDEX waitlist_offers_due ON waitlist_entries (offer_expires_at) WHERE status = 'OFFERED'`
  // The ranking counts each requester's active bookings (by status and end) and late returns.
  yield* sql`CREATE INDEX bookings_requester_status_end ON bookings (org_id, requester_id, status, end_at)`
  yield* sql`CREATE INDEX bookings_late_returns ON bookings (org_id, requester_id, returned_at)
    WHERE late_minutes > 0`
  yield* sql`CREATE INDEX fines_open ON fines (org_id, account_id) WHERE status = 'OPEN'`
})
