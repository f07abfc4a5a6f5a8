-- Reference for the waitlist ranking: the query PgWaitlistRepo.ranked sends for
-- GET /v1/waitlist?resourceId=.. (default weights, a first page of 20 plus one).
-- pgbench -M prepared -D org=<uuid> -D resource=<uuid>
WITH entries AS (
  SELECT * FROM waitlist_entries WHERE org_id = :org AND resource_id = :resource
),
requesters AS (SELECT DISTINCT requester_id FROM entries),
late AS (
  SELECT requester_id, count(*) AS n FROM bookings
  WHERE org_id = :org AND requester_id IN (SELECT requester_id FROM requesters)
    AND ((late_minutes > 0 AND returned_at >= now() - interval '90 days') OR status = 'OVERDUE')
  GROUP BY requester_id
),
open_fines AS (
  SELECT account_id, count(*) AS n FROM fines
  WHERE org_id = :org AND account_id IN (SELECT requester_id FROM requesters) AND status = 'OPEN'
  GROUP BY account_id
),
active AS (
  SELECT requester_id, count(*) AS n FROM bookings
  WHERE org_id = :org AND requester_id IN (SELECT requester_id FROM requesters)
    AND status IN ('PENDING', 'APPROVED', 'CHECKED_OUT', 'OVERDUE') AND end_at > now()
  GROUP BY requester_id
),
parts AS (
  SELECT entries.*,
    CASE memberships.role
      WHEN 'owner' THEN 300 WHEN 'admin' THEN 300 WHEN 'manager' THEN 200 WHEN 'technician' THEN 150
      WHEN 'member' THEN 100 ELSE 0
    END AS role_points,
    LEAST(GREATEST(floor(extract(epoch FROM (now() - entries.created_at)) / 3600), 0), 168)::int AS waiting_points,
    (-50 * COALESCE(late.n, 0))::int AS late_points,
    (-25 * COALESCE(open_fines.n, 0))::int AS fine_points,
    (-20 * COALESCE(active.n, 0))::int AS active_points
  FROM entries
  LEFT JOIN memberships ON memberships.org_id = entries.org_id
    AND memberships.account_id = entries.requester_id AND memberships.deleted_at IS NULL
  LEFT JOIN late ON late.requester_id = entries.requester_id
  LEFT JOIN open_fines ON open_fines.account_id = entries.requester_id
  LEFT JOIN active ON active.requester_id = entries.requester_id
),
scored AS (
  SELECT *, role_points + waiting_points + late_points + fine_points + active_points AS score FROM parts
),
ranked AS (
  SELECT *, row_number() OVER (PARTITION BY resource_id ORDER BY score DESC, created_at ASC, id ASC) AS rank
  FROM scored
)
SELECT * FROM ranked WHERE TRUE ORDER BY resource_id, rank LIMIT 21;
