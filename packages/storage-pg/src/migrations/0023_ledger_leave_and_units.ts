import { Effect } from "effect"
import { SqlClient } from "effect/sql"

/**
 * Approved leave claims its person's time on the ledger (source `leave`), like every other
 * claim, and the schedule view reads the ledger by org and time. Leave approved before this
 * change is claimed here for what is still ahead, except where work was already scheduled over
 * it (the exclusion constraint would refuse the row; that overlap stays visible in the
 * schedule). Scheduled interventions on a unit now hold the unit's time too: those still ahead
 * claim it here, on the same terms.
 */
export default Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE allocations DROP CONSTRAINT allocations_source_type_check`
  yield* sql`ALTER TABLE allocations ADD CONSTRAINT allocations_source_type_check
    CHECK (source_type IN ('booking', 'waitlist_offer', 'assignment', 'intervention', 'leave'))`
  yield* sql`
    INSERT INTO allocations (org_id, id, subject_type, subject_id, during, source_type, source_id, active, created_at)
    SELECT w.org_id, gen_random_uuid(), 'person', w.account_id, tstzrange(w.start_at, w.end_at, '[)'), 'leave', w.id,
      true, now()
    FROM availability_windows w
    WHERE w.kind = 'UNAVAILABLE' AND w.status = 'APPROVED' AND w.deleted_at IS NULL AND w.end_at > now()
    ON CONFLICT DO NOTHING`
  yield* sql`
    INSERT INTO allocations (org_id, id, subject_type, subject_id, during, source_type, source_id, active, created_at)
    SELECT i.org_id, gen_random_uuid(), 'unit', i.unit_id, tstzrange(i.scheduled_start, i.scheduled_end, '[)'),
      'intervention', i.id, true, now()
    FROM interventions i
    WHERE i.unit_id IS NOT NULL AND i.scheduled_start IS NOT NULL AND i.deleted_at IS NULL
      AND i.status NOT IN ('COMPLETED', 'CANCELLED') AND i.scheduled_end > now()
    ON CONFLICT DO NOTHING`
})
