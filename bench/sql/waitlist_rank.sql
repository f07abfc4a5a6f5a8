-- Reference for the waitlist ranking: the statement PgWaitlistRanking.stored sends for
-- GET /v1/waitlist?resourceId=.. when every stored standing of the line holds (default weights, a
-- first page of 20 plus one; the bench refreshes the stored standings before each round, as the
-- 5-second job does). Captured from Rota's statement log, parameters written as pgbench
-- variables and now().
-- pgbench -M prepared -D org=<uuid> -D resource=<uuid>
WITH
    whole AS MATERIALIZED (
      SELECT NOT EXISTS (SELECT 1 FROM waitlist_scoring WHERE org_id = :org
          AND weights = '{"admin": 300, "owner": 300, "member": 100, "manager": 200, "openFine": 25, "lateReturn": 50, "technician": 150, "activeBooking": 20, "maxWaitingHours": 168}'::jsonb)
        OR EXISTS (SELECT 1 FROM waitlist_standing_changes WHERE org_id = :org AND requester_id IS NULL)
        AS doubted
    ),
    doubted AS MATERIALIZED (
      SELECT requester_id FROM waitlist_standing_changes WHERE org_id = :org AND requester_id IS NOT NULL
      UNION
      SELECT requester_id FROM waitlist_standings WHERE org_id = :org
        AND NOT (as_of <= now() AND valid_until > now())
      UNION
      -- Other weights, or a change of the whole org: every requester of the line.
      SELECT DISTINCT requester_id FROM waitlist_entries WHERE org_id = :org AND resource_id = :resource AND status = 'WAITING' AND (SELECT doubted FROM whole)
    ),
    gaining_head AS (
      SELECT base_points + LEAST(GREATEST(
      floor(extract(epoch FROM (now()::timestamptz - created_at)))::bigint / 3600, 0), 168) AS score FROM waitlist_entries WHERE org_id = :org AND resource_id = :resource AND status = 'WAITING' AND NOT waited_out AND requester_id NOT IN (SELECT requester_id FROM doubted)
      ORDER BY rank_key DESC LIMIT 21
    ),
    waited_out_head AS (
      SELECT base_points + LEAST(GREATEST(
      floor(extract(epoch FROM (now()::timestamptz - created_at)))::bigint / 3600, 0), 168) AS score FROM waitlist_entries WHERE org_id = :org AND resource_id = :resource AND status = 'WAITING' AND waited_out AND requester_id NOT IN (SELECT requester_id FROM doubted)
      ORDER BY base_points DESC, created_at, id LIMIT 21
    ),
    bound AS (
      SELECT GREATEST(
        (SELECT min(score) FROM gaining_head HAVING count(*) = 21),
        (SELECT min(score) FROM waited_out_head HAVING count(*) = 21)
      ) AS score
    ),
    -- Distinct: an entry created after now is both in its stream and an exception.
    candidates AS (
      SELECT DISTINCT * FROM (
        SELECT id, requester_id, resource_id, created_at FROM waitlist_entries
        WHERE org_id = :org AND resource_id = :resource AND status = 'WAITING' AND NOT waited_out AND requester_id NOT IN (SELECT requester_id FROM doubted)
          AND rank_key >= COALESCE((SELECT (score * 3600000000 - (extract(epoch FROM now()) * 1000000)::bigint::bigint)::bigint
            FROM bound), '-9223372036854775808'::bigint)
        UNION ALL
        SELECT id, requester_id, resource_id, created_at FROM waitlist_entries
        WHERE org_id = :org AND resource_id = :resource AND status = 'WAITING' AND waited_out AND requester_id NOT IN (SELECT requester_id FROM doubted)
          AND base_points >= COALESCE((SELECT (score - 168)::int FROM bound), '-2147483648'::int)

      ) AS branches
    ),
    points AS MATERIALIZED (

    SELECT stored.* FROM (SELECT DISTINCT requester_id FROM candidates WHERE requester_id NOT IN (SELECT requester_id FROM doubted)) AS requesters
    CROSS JOIN LATERAL (
      SELECT requester_id, role_points, late_points, fine_points, active_points FROM waitlist_standings
      WHERE org_id = :org AND requester_id = requesters.requester_id
    ) AS stored

    ),
    scoring AS (
      SELECT candidates.*, points.role_points, points.late_points, points.fine_points, points.active_points
      FROM candidates JOIN points ON points.requester_id = candidates.requester_id
    ),

  ranked AS (
    SELECT scored.*, role_points + waiting_points + late_points + fine_points + active_points AS score,
      row_number() OVER (
        PARTITION BY resource_id
        ORDER BY role_points + waiting_points + late_points + fine_points + active_points DESC,
          created_at ASC, id ASC
      ) AS rank
    FROM (
      SELECT scoring.*,
        -- Whole seconds, then whole hours: integer arithmetic, as the core's rule.
        LEAST(GREATEST(floor(extract(epoch FROM (now()::timestamptz - created_at)))::bigint / 3600, 0),
          168)::int AS waiting_points
      FROM scoring
    ) AS scored
  ),
  page AS (
    SELECT * FROM ranked WHERE rank > 0 ORDER BY resource_id, rank LIMIT 21
  ),
    found AS (
      SELECT EXISTS (SELECT entries.* FROM doubted CROSS JOIN LATERAL (
      SELECT id, requester_id, resource_id, created_at FROM waitlist_entries
      WHERE org_id = :org AND requester_id = doubted.requester_id AND resource_id = :resource
        AND status = 'WAITING'
    ) AS entries)
        -- The org's newest entry still marked as gaining, from the end of an index.
        OR (SELECT max(created_at) FROM waitlist_entries
          WHERE org_id = :org AND status = 'WAITING' AND NOT waited_out) > now() AS exceptions
    )
    SELECT found.exceptions, waitlist_entries.*, page.rank, page.score, page.role_points,
  page.waiting_points, page.late_points, page.fine_points, page.active_points
    FROM found LEFT JOIN (page JOIN waitlist_entries ON waitlist_entries.org_id = :org AND waitlist_entries.id = page.id) ON NOT found.exceptions
    ORDER BY page.rank;
