import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Identity and tenancy. Accounts, sessions and password resets are global (one person, many
 * orgs); organisations, memberships and invitations are per org. Logins are unique
 * case-insensitively through expression indexes, which the repository names when it maps a
 * violation to `AlreadyExists`.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE organizations (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      slug text NOT NULL,
      timezone text NOT NULL,
      settings jsonb NOT NULL DEFAULT '{}',
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      CONSTRAINT organizations_slug_key UNIQUE (slug)
    )`
  yield* sql`
    CREATE TABLE accounts (
      id uuid PRIMARY KEY,
      email text NOT NULL,
      username text NOT NULL,
      full_name text NOT NULL,
      phone text,
      password_hash text,
      is_active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL
    )`
  yield* sql`CREATE UNIQUE INDEX accounts_email_key ON accounts (lower(email))`
  yield* sql`CREATE UNIQUE INDEX accounts_username_key ON accounts (lower(username))`
  yield* sql`
    CREATE TABLE memberships (
      org_id uuid NOT NULL,
      account_id uuid NOT NULL REFERENCES accounts (id),
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'technician', 'member')),
      skills text[] NOT NULL DEFAULT '{}',
      tags text[] NOT NULL DEFAULT '{}',
      is_active boolean NOT NULL DEFAULT true,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, account_id)
    )`
  yield* sql`CREATE INDEX memberships_org_created ON memberships (org_id, created_at, account_id)`
  // The one cross-org path: an account's own orgs (the org switcher, at sign-in).
  yield* sql`CREATE INDEX memberships_account ON memberships (account_id, org_id)`
  yield* sql`
    CREATE TABLE auth_sessions (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts (id),
      created_at timestamptz NOT NULL,
      revoked_at timestamptz
    )`
  yield* sql`CREATE INDEX auth_sessions_account ON auth_sessions (account_id)`
  yield* sql`
    CREATE TABLE refresh_tokens (
      token_hash text PRIMARY KEY,
      session_id uuid NOT NULL REFERENCES auth_sessions (id),
      account_id uuid NOT NULL,
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`
  yield* sql`CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id)`
  yield* sql`
    CREATE TABLE invitations (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      email text NOT NULL,
      role text NOT NULL CHECK (role IN ('owner', 'admin', 'manager', 'technician', 'member')),
      invited_by uuid NOT NULL,
      expires_at timestamptz NOT NULL,
      accepted_at timestamptz,
      revoked_at timestamptz,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, id)
    )`
  // Invitation tokens carry the id alone; the unique index both finds and guards it.
  yield* sql`CREATE UNIQUE INDEX invitations_id_key ON invitations (id)`
  yield* sql`CREATE INDEX invitations_org_created ON invitations (org_id, created_at, id)`
  yield* sql`
    CREATE TABLE password_resets (
      id uuid PRIMARY KEY,
      account_id uuid NOT NULL REFERENCES accounts (id),
      expires_at timestamptz NOT NULL,
      used_at timestamptz,
      created_at timestamptz NOT NULL DEFAULT now()
    )`
})
