-- Reference for the waitlist ranking: the query PgWaitlistRepo.ranked sends for
-- GET /v1/waitlist?resourceId=.. (default weights, a first page of 20 plus one).
-- pgbench -M prepared -D org=<uuid> -D resource=<uuid>
WITH entries AS (
  SELECT id, requester_id, resource_id, created_at FROM waitlist_entries
  WHERE org_id = :org AND resource_id = :resource
),
standings AS MATERIALIZED (
  SELECT requesters.requester_id, memberships.role,
    (SELECT count(*) FROM bookings WHERE org_id = :org AND requester_id = requesters.requester_id
        AND late_minutes > 0 AND returned_at >= now() - interval '90 days')
      + (SELECT count(*) FROM bookings WHERE org_id = :org AND requester_id = requesters.requester_id
        AND status = 'OVERDUE') AS late_returns,
    (SELECT count(*) FROM fines WHERE org_id = :org AND account_id = requesters.requester_id
        AND status = 'OPEN') AS open_fines,
    (SELECT count(*) FROM bookings WHERE org_id = :org AND requester_id = requesters.requester_id
        AND status IN ('PENDING', 'APPROVED', 'CHECKED_OUT', 'OVERDUE') AND end_at > now()) AS active_bookings
  FROM (SELECT DISTINCT requester_id FROM entries) AS requesters
  LEFT JOIN memberships ON memberships.org_id = :org
    AND memberships.account_id = requesters.requester_id AND memberships.deleted_at IS NULL
),
parts AS (
  SELECT entries.id, entries.requester_id, entries.resource_id, entries.created_at,
    CASE standings.role
      WHEN 'owner' THEN 300 WHEN 'admin' THEN 300 WHEN 'manager' THEN 200 WHEN 'technician' THEN 150
      WHEN 'member' THEN 100 ELSE 0
    END AS role_points,
    LEAST(GREATEST(floor(extract(epoch FROM (now() - entries.created_at)))::bigint / 3600, 0), 168)::int
      AS waiting_points,
    (-50 * standings.late_returns)::int AS late_points,
    (-25 * standings.open_fines)::int AS fine_points,
    (-20 * standings.active_bookings)::int AS active_points
  FROM entries JOIN standings ON standings.requester_id = entries.requester_id
),
ranked AS (
  SELECT parts.*,
    role_points + waiting_points + late_points + fine_points + active_points AS score,
    row_number() OVER (
      PARTITION BY resource_id
      ORDER BY role_points + waiting_points + late_points + fine_points + active_points DESC,
        created_at ASC, id ASC
    ) AS rank
  FROM parts
),
page AS (
  SELECT * FROM ranked WHERE TRUE ORDER BY resource_id, rank LIMIT 21
)
SELECT waitlist_entries.*, page.rank, page.score, page.role_points, page.waiting_points,
  page.late_points, page.fine_points, page.active_points
FROM page JOIN waitlist_entries ON waitlist_entries.org_id = :org AND waitlist_entries.id = page.id
ORDER BY page.resource_id, page.rank;
