import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Booking series and what became of each occurrence. An occurrence that was booked names its
 * booking, so "this and the following ones" are found by the series and the start time.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE booking_series (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      requester_id uuid NOT NULL,
      rule text NOT NULL,
      exceptions jsonb NOT NULL DEFAULT '[]',
      time_zone text NOT NULL,
      purpose text NOT NULL,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, id)
    )`
  yield* sql`
    CREATE TABLE booking_series_occurrences (
      org_id uuid NOT NULL,
      series_id uuid NOT NULL,
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      local_date text NOT NULL,
      outcome text NOT NULL CHECK (outcome IN ('created', 'conflict', 'skipped')),
      booking_id uuid,
      PRIMARY KEY (org_id, series_id, start_at),
      FOREIGN KEY (org_id, series_id) REFERENCES booking_series (org_id, id),
      FOREIGN KEY (org_id, booking_id) REFERENCES bookings (org_id, id)
    )`
})

/**
 * Drops the series records; their bookings stay, as single bookings.
 *
 * @since 0.1.0
 * @category migrations
 */
export const down = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`DROP TABLE booking_series_occurrences`
  yield* sql`DROP TABLE booking_series`
})
