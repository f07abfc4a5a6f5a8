import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Notifications: the in-app inbox (one row per outbox message and account, so a message
 * delivered again adds nothing), the preferences (an account's switches per org, and the org's
 * defaults), and the deliveries that make each email go out once per message and recipient
 * across servers.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE notifications (
      id uuid PRIMARY KEY,
      org_id uuid NOT NULL,
      account_id uuid NOT NULL REFERENCES accounts (id),
      message_id uuid NOT NULL,
      event text NOT NULL,
      title text NOT NULL,
      body text NOT NULL,
      subject_type text NOT NULL,
      subject_id text NOT NULL,
      created_at timestamptz NOT NULL,
      read_at timestamptz,
      UNIQUE (message_id, account_id)
    )`
  // The inbox, newest first, and its unread part (the badge count).
  yield* sql`CREATE INDEX notifications_inbox ON notifications (org_id, account_id, created_at, id)`
  yield* sql`CREATE INDEX notifications_unread ON notifications (org_id, account_id, created_at, id)
    WHERE read_at IS NULL`
  yield* sql`
    CREATE TABLE notification_preferences (
      org_id uuid NOT NULL,
      account_id uuid NOT NULL REFERENCES accounts (id),
      event text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('in_app', 'email')),
      enabled boolean NOT NULL,
      PRIMARY KEY (org_id, account_id, event, channel)
    )`
  yield* sql`
    CREATE TABLE notification_defaults (
      org_id uuid NOT NULL REFERENCES organizations (id),
      event text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('in_app', 'email')),
      enabled boolean NOT NULL,
      PRIMARY KEY (org_id, event, channel)
    )`
  // A row is a claim; a claim not sent by `claimed_until` may be taken over, a sent one never.
  // The recipient is an account id, or an address for people without an account (invitations).
  yield* sql`
    CREATE TABLE notification_deliveries (
      message_id uuid NOT NULL,
      recipient text NOT NULL,
      channel text NOT NULL CHECK (channel IN ('in_app', 'email')),
      claimed_until timestamptz NOT NULL,
      sent_at timestamptz,
      PRIMARY KEY (message_id, recipient, channel)
    )`
  yield* sql`CREATE INDEX notification_deliveries_sent ON notification_deliveries (sent_at)`
})
