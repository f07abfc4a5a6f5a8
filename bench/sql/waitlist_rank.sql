-- Reference for the waitlist ranking: the statement PgWaitlistRanking.stored sends for
-- GET /v1/waitlist?resourceId=.. when every stored standing of the line holds (default weights, a
-- first page of 20 plus one; the bench refreshes the stored standings before each round, as the
-- 5-second job does). Compiled from PgWaitlistRanking.storedPage, parameters written as
-- pgbench variables and now().
-- pgbench -M prepared -D org=<uuid> -D resource=<uuid>
WITH
markers AS MATERIALIZED (
  SELECT requester_id FROM waitlist_standing_changes WHERE org_id = :org
),
state AS MATERIALIZED (
  SELECT COALESCE(scoring.weights <> '{"owner":300,"admin":300,"manager":200,"technician":150,"member":100,"lateReturn":50,"openFine":25,"activeBooking":20,"maxWaitingHours":168}'::jsonb, true)
      OR EXISTS (SELECT 1 FROM markers WHERE requester_id IS NULL) AS whole,
    -- Every standing was written by the last refresh or before it, and holds until the
    -- earliest end it recorded: within that, no standing needs to be looked at.
    COALESCE(scoring.as_of <= now() AND scoring.next_refresh_at > now(), false) AS fresh
  FROM (SELECT 1) AS org LEFT JOIN waitlist_scoring AS scoring ON scoring.org_id = :org
),
doubted AS MATERIALIZED (
  SELECT requester_id FROM markers WHERE requester_id IS NOT NULL
  UNION
  SELECT requester_id FROM waitlist_standings WHERE org_id = :org
    AND NOT (as_of <= now() AND valid_until > now()) AND NOT (SELECT fresh FROM state)
  UNION
  -- Other weights, or a change of the whole org: every requester of the line.
  SELECT DISTINCT requester_id FROM waitlist_entries WHERE org_id = :org AND resource_id = :resource AND status = 'WAITING' AND (SELECT whole FROM state)
),
gaining_head AS (
  SELECT rank_key AS key, base_points + LEAST(GREATEST(floor(extract(epoch FROM (now()::timestamptz - created_at)))::bigint / 3600, 0),
168) AS score FROM waitlist_entries
  WHERE org_id = :org AND resource_id = :resource AND status = 'WAITING' AND NOT waited_out AND requester_id NOT IN (SELECT requester_id FROM doubted)
  ORDER BY rank_key DESC LIMIT 21
),
waited_out_head AS (
  SELECT base_points AS key, base_points + LEAST(GREATEST(floor(extract(epoch FROM (now()::timestamptz - created_at)))::bigint / 3600, 0),
168) AS score FROM waitlist_entries
  WHERE org_id = :org AND resource_id = :resource AND status = 'WAITING' AND waited_out AND requester_id NOT IN (SELECT requester_id FROM doubted)
  ORDER BY base_points DESC, created_at, id LIMIT 21
),
bound AS (
  SELECT GREATEST(
      (SELECT min(score) FROM gaining_head HAVING count(*) = 21),
      (SELECT min(score) FROM waited_out_head HAVING count(*) = 21)
    ) AS score,
    (SELECT max(key) FROM gaining_head) AS gaining_top,
    (SELECT max(key) FROM waited_out_head) AS waited_out_top
),

-- Each stream from its head down to the bound. The upper end holds for every trusted row of
-- the stream; it is there for the planner, which, with both ends unknown until the statement
-- runs, reckons on a narrow range and reads the index rather than the whole line.
scoring AS (
  SELECT org_id, id, requester_id, resource_id, start_at, end_at, purpose, priority_score, status, offered_unit_id, offer_start_at, offer_end_at, offer_expires_at, booking_id, version, created_at, role_points, late_points, fine_points, active_points FROM waitlist_entries
  WHERE org_id = :org AND resource_id = :resource AND status = 'WAITING' AND NOT waited_out AND requester_id NOT IN (SELECT requester_id FROM doubted)
    AND rank_key >= COALESCE((SELECT (score * 3600000000 - (extract(epoch FROM now()) * 1000000)::bigint::bigint)::bigint
      FROM bound), '-9223372036854775808'::bigint)
    AND rank_key <= (SELECT gaining_top FROM bound)
  UNION ALL
  SELECT org_id, id, requester_id, resource_id, start_at, end_at, purpose, priority_score, status, offered_unit_id, offer_start_at, offer_end_at, offer_expires_at, booking_id, version, created_at, role_points, late_points, fine_points, active_points FROM waitlist_entries
  WHERE org_id = :org AND resource_id = :resource AND status = 'WAITING' AND waited_out AND requester_id NOT IN (SELECT requester_id FROM doubted)
    AND base_points >= COALESCE((SELECT (score - 168)::int FROM bound), '-2147483648'::int)
    AND base_points <= (SELECT waited_out_top FROM bound)

),

  ranked AS (
SELECT scored.*, role_points + waiting_points + late_points + fine_points + active_points AS score,
  row_number() OVER (
    PARTITION BY resource_id
    ORDER BY role_points + waiting_points + late_points + fine_points + active_points DESC,
      created_at ASC, id ASC
  ) AS rank
FROM (
  SELECT scoring.*, LEAST(GREATEST(floor(extract(epoch FROM (now()::timestamptz - created_at)))::bigint / 3600, 0),
168)::int AS waiting_points
  FROM scoring
) AS scored
  ),
  page AS (
SELECT * FROM ranked WHERE rank > 0 ORDER BY resource_id, rank LIMIT 21
  ),
found AS (
  SELECT EXISTS (SELECT entries.* FROM doubted CROSS JOIN LATERAL (
  SELECT org_id, id, requester_id, resource_id, start_at, end_at, purpose, priority_score, status, offered_unit_id, offer_start_at, offer_end_at, offer_expires_at, booking_id, version, created_at FROM waitlist_entries
  WHERE org_id = :org AND requester_id = doubted.requester_id AND resource_id = :resource
    AND status = 'WAITING'
) AS entries)
    -- The org's newest entry still marked as gaining, from the end of an index.
    OR (SELECT max(created_at) FROM waitlist_entries
      WHERE org_id = :org AND status = 'WAITING' AND NOT waited_out) > now() AS exceptions
)
SELECT found.exceptions, page.* FROM found LEFT JOIN page ON NOT found.exceptions
ORDER BY page.rank;
