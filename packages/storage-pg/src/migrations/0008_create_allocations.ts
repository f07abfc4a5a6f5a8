import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * The time ledger. The exclusion constraint is the invariant itself: two active allocations of
 * one subject never overlap, under any concurrency and across any number of servers. Ranges are
 * half-open and non-empty, so back-to-back claims pass and a zero-length one cannot slip through
 * (an empty range overlaps nothing). Its gist index also serves availability queries; the
 * source index serves release and move.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`
    CREATE TABLE allocations (
      org_id uuid NOT NULL,
      id uuid NOT NULL,
      subject_type text NOT NULL CHECK (subject_type IN ('unit', 'person')),
      subject_id uuid NOT NULL,
      during tstzrange NOT NULL CHECK (
        NOT isempty(during) AND lower_inc(during) AND NOT upper_inc(during)
        AND NOT lower_inf(during) AND NOT upper_inf(during)
      ),
      source_type text NOT NULL CHECK (source_type IN ('booking', 'waitlist_offer', 'assignment', 'intervention')),
      source_id uuid NOT NULL,
      active boolean NOT NULL DEFAULT true,
      created_at timestamptz NOT NULL,
      PRIMARY KEY (org_id, id),
      CONSTRAINT allocations_no_overlap EXCLUDE USING gist (
        org_id WITH =, subject_type WITH =, subject_id WITH =, during WITH &&
      ) WHERE (active)
    )`
  yield* sql`CREATE INDEX allocations_source ON allocations (org_id, source_type, source_id)`
})
