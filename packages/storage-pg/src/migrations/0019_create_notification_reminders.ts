import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Reminders sent (a booking due back soon, an offer about to expire): one row per kind, subject
 * and due time, claimed in the transaction that writes the reminder's outbox message, so servers
 * running the reminder job at once send each reminder once. A new due time (an extended booking)
 * is a new reminder.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE notification_reminders (
      kind text NOT NULL,
      org_id uuid NOT NULL,
      subject_id uuid NOT NULL,
      due_at timestamptz NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (kind, subject_id, due_at)
    )`
  yield* sql`CREATE INDEX notification_reminders_created ON notification_reminders (created_at)`
  // The reminder job scans checked-out bookings by end (bookings_checked_out_end) and offers by
  // expiry (waitlist_offers_due): both are indexed already.
})
