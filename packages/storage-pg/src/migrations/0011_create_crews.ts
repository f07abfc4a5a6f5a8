import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Crews: projects, their missions, assignments of people to missions, availability windows and
 * rate profiles. Rows are keyed by (org_id, id) and point at rows of their own org only. The
 * partial unique index `assignments_open_key` is the rule "at most one open (invited or accepted)
 * assignment per mission and person"; the time an accepted assignment holds lives in the
 * ledger's `allocations`, whose exclusion constraint keeps a person's accepted work apart.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE projects (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      name text NOT NULL,
      status text NOT NULL CHECK (status IN ('DRAFT', 'ACTIVE', 'ARCHIVED')),
      starts_at timestamptz,
      ends_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id),
      CHECK (starts_at IS NULL OR ends_at IS NULL OR ends_at > starts_at)
    )`
  yield* sql`CREATE INDEX projects_org_name ON projects (org_id, name, id)`
  yield* sql`CREATE INDEX projects_org_created ON projects (org_id, created_at, id)`
  yield* sql`
    CREATE TABLE missions (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      project_id uuid NOT NULL,
      title text NOT NULL,
      role text NOT NULL,
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      headcount integer NOT NULL CHECK (headcount >= 1),
      location text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, project_id) REFERENCES projects (org_id, id),
      CHECK (end_at > start_at)
    )`
  yield* sql`CREATE INDEX missions_project ON missions (org_id, project_id, start_at, id)`
  yield* sql`CREATE INDEX missions_org_start ON missions (org_id, start_at, id)`
  yield* sql`CREATE INDEX missions_org_title ON missions (org_id, title, id)`
  yield* sql`CREATE INDEX missions_org_created ON missions (org_id, created_at, id)`
  yield* sql`
    CREATE TABLE assignments (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      mission_id uuid NOT NULL,
      account_id uuid NOT NULL,
      status text NOT NULL CHECK (status IN ('INVITED', 'ACCEPTED', 'DECLINED', 'CANCELLED')),
      respond_by timestamptz NOT NULL,
      responded_at timestamptz,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, mission_id) REFERENCES missions (org_id, id),
      FOREIGN KEY (org_id, account_id) REFERENCES memberships (org_id, account_id)
    )`
  yield* sql`CREATE UNIQUE INDEX assignments_open_key ON assignments (org_id, mission_id, account_id)
    WHERE status IN ('INVITED', 'ACCEPTED')`
  yield* sql`CREATE INDEX assignments_mission ON assignments (org_id, mission_id, status)`
  yield* sql`CREATE INDEX assignments_account ON assignments (org_id, account_id, created_at, id)`
  yield* sql`CREATE INDEX assignments_org_created ON assignments (org_id, created_at, id)`
  yield* sql`
    CREATE TABLE availability_windows (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      account_id uuid NOT NULL,
      kind text NOT NULL CHECK (kind IN ('AVAILABLE', 'UNAVAILABLE')),
      start_at timestamptz NOT NULL,
      end_at timestamptz NOT NULL,
      status text NOT NULL CHECK (status IN ('PENDING', 'APPROVED', 'REJECTED')),
      note text,
      version integer NOT NULL DEFAULT 1,
      created_at timestamptz NOT NULL,
      deleted_at timestamptz,
      PRIMARY KEY (org_id, id),
      FOREIGN KEY (org_id, account_id) REFERENCES memberships (org_id, account_id),
      CHECK (end_at > start_at)
    )`
  yield* sql`CREATE INDEX availability_account ON availability_windows (org_id, account_id, start_at)`
  yield* sql`CREATE INDEX availability_org_start ON availability_windows (org_id, start_at, id)`
  yield* sql`CREATE INDEX availability_org_created ON availability_windows (org_id, created_at, id)`
  yield* sql`
    CREATE TABLE rate_profiles (
      org_id uuid NOT NULL,
      account_id uuid NOT NULL,
      currency char(3) NOT NULL,
      hourly bigint CHECK (hourly >= 0),
      daily bigint CHECK (daily >= 0),
      PRIMARY KEY (org_id, account_id),
      FOREIGN KEY (org_id, account_id) REFERENCES memberships (org_id, account_id)
    )`
})
