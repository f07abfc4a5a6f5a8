-- Seeds the bench database after Rota has migrated it and the three bench owners have registered
-- through the API (so accounts, orgs and owner memberships are Rota's own). Everything else is
-- set-based SQL: a million rows take seconds, where the API would take an hour.
--
-- psql variables: main_org, small_org, huge_org (org ids), main_rows, small_rows, huge_rows.
--
-- Ids are md5 hashes of (org, kind, n) with the version and variant bits of a v4 uuid (Rota
-- validates them), so rows can refer to each other without temp tables and
-- a re-run gives the same data. Foreign-key triggers are off (session_replication_role =
-- replica): the rows are consistent by construction, and checking 2M references row by row
-- would be most of the seeding time. Check and exclusion constraints still apply.
\set ON_ERROR_STOP on
SET session_replication_role = replica;
SET synchronous_commit = off;

CREATE FUNCTION pg_temp.bench_id(org uuid, kind text, n bigint) RETURNS uuid
  LANGUAGE sql IMMUTABLE AS $$
    SELECT overlay(overlay(md5(org::text || kind || n::text) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid
  $$;

-- One resource with 64 units per org: bookings are spread over the units, and the create
-- workload books free slots on them.
CREATE FUNCTION pg_temp.seed_inventory(org uuid) RETURNS void LANGUAGE sql AS $$
  INSERT INTO resources (org_id, id, type, name, status, created_at)
  VALUES (org, pg_temp.bench_id(org, 'resource', 0), 'kit', 'Bench kit', 'AVAILABLE', now() - interval '2 years');
  INSERT INTO resource_units (org_id, id, resource_id, barcode, condition, status, created_at)
  SELECT org, pg_temp.bench_id(org, 'unit', u), pg_temp.bench_id(org, 'resource', 0),
    'BENCH-' || lpad(u::text, 3, '0'), 'GOOD', 'AVAILABLE', now() - interval '2 years'
  FROM generate_series(0, 63) AS u;
$$;

-- Requesters: accounts with a membership, so the waitlist ranking finds roles, late returns,
-- fines and active bookings for them.
CREATE FUNCTION pg_temp.seed_people(org uuid, people int) RETURNS void LANGUAGE sql AS $$
  INSERT INTO accounts (id, email, username, full_name, created_at)
  SELECT pg_temp.bench_id(org, 'account', p), 'bench-' || left(md5(org::text), 12) || '-' || p || '@example.test',
    'bench_' || left(md5(org::text), 12) || '_' || p, 'Bench Person ' || p, now() - interval '2 years'
  FROM generate_series(0, people - 1) AS p;
  INSERT INTO memberships (org_id, account_id, role, created_at)
  SELECT org, pg_temp.bench_id(org, 'account', p),
    CASE WHEN p % 20 = 0 THEN 'manager' WHEN p % 5 = 0 THEN 'technician' ELSE 'member' END,
    now() - interval '2 years'
  FROM generate_series(0, people - 1) AS p;
$$;

-- `rows` bookings, booking n on unit n % 64 in slot n / 64 (slots 2 h apart, bookings at most
-- 1.5 h long: no two overlap on a unit). The last `future_slots` slots lie ahead of now, the
-- rest is history. Past bookings are mostly returned (some late, some overdue), future ones
-- mostly approved; active ones hold their ledger allocation, as Rota's own would.
CREATE FUNCTION pg_temp.seed_bookings(org uuid, people int, rows_ bigint, future_slots int) RETURNS void
LANGUAGE plpgsql AS $$ BEGIN
  CREATE TEMP TABLE seeded ON COMMIT DROP AS
  SELECT n,
    pg_temp.bench_id(org, 'booking', n) AS id,
    pg_temp.bench_id(org, 'account', n % people) AS requester_id,
    pg_temp.bench_id(org, 'unit', n % 64) AS unit_id,
    date_trunc('hour', now()) + ((n / 64) - ((rows_ - 1) / 64) + future_slots) * interval '2 hours' AS start_at,
    interval '1 hour' + (n % 3) * interval '15 minutes' AS length
  FROM generate_series(0, rows_ - 1) AS n;
  INSERT INTO bookings (org_id, id, requester_id, status, start_at, end_at, purpose, version, created_at,
    approved_by, approved_at, checked_out_at, returned_at, cancelled_at, late_minutes)
  SELECT org, id, requester_id, status, start_at, start_at + length, 'bench booking ' || n, 1,
    least(start_at - interval '7 days', now()),
    CASE WHEN status IN ('APPROVED', 'RETURNED', 'OVERDUE') THEN requester_id END,
    CASE WHEN status IN ('APPROVED', 'RETURNED', 'OVERDUE') THEN least(start_at - interval '6 days', now()) END,
    CASE WHEN status IN ('RETURNED', 'OVERDUE') THEN start_at END,
    CASE WHEN status = 'RETURNED' THEN start_at + length + late END,
    CASE WHEN status = 'CANCELLED' THEN least(start_at - interval '1 day', now()) END,
    CASE WHEN status = 'RETURNED' THEN extract(epoch FROM late)::int / 60 ELSE 0 END
  FROM (
    SELECT *,
      CASE
        WHEN start_at < now() THEN CASE
          WHEN n % 997 = 0 THEN 'OVERDUE' WHEN n % 10 = 7 THEN 'CANCELLED' WHEN n % 10 = 8 THEN 'REJECTED'
          ELSE 'RETURNED' END
        ELSE CASE WHEN n % 10 = 8 THEN 'PENDING' WHEN n % 10 = 9 THEN 'CANCELLED' ELSE 'APPROVED' END
      END AS status,
      CASE WHEN n % 10 = 9 THEN interval '40 minutes' ELSE interval '0' END AS late
    FROM seeded
  ) AS s;
  INSERT INTO booking_items (org_id, booking_id, unit_id, resource_id, start_at, created_at, status)
  SELECT org, seeded.id, unit_id, pg_temp.bench_id(org, 'resource', 0), bookings.start_at, bookings.created_at,
    bookings.status
  FROM seeded JOIN bookings ON bookings.org_id = org AND bookings.id = seeded.id;
  INSERT INTO allocations (org_id, id, subject_type, subject_id, during, source_type, source_id, active, created_at)
  SELECT org, pg_temp.bench_id(org, 'allocation', n), 'unit', unit_id,
    tstzrange(bookings.start_at, bookings.end_at, '[)'), 'booking', seeded.id, true, bookings.created_at
  FROM seeded JOIN bookings ON bookings.org_id = org AND bookings.id = seeded.id
  WHERE bookings.status IN ('PENDING', 'APPROVED', 'CHECKED_OUT', 'OVERDUE');
END $$;

BEGIN;
SELECT pg_temp.seed_inventory(:'main_org'), pg_temp.seed_people(:'main_org', 500);
SELECT pg_temp.seed_bookings(:'main_org', 500, :main_rows, 360);
-- The waitlist: `waitlist_rows` people waiting for the main resource, joined over the last week.
INSERT INTO waitlist_entries (org_id, id, requester_id, resource_id, start_at, end_at, purpose, status, created_at)
SELECT :'main_org', pg_temp.bench_id(:'main_org', 'waitlist', w), pg_temp.bench_id(:'main_org', 'account', w % 500),
  pg_temp.bench_id(:'main_org', 'resource', 0), date_trunc('hour', now()) + interval '3 days',
  date_trunc('hour', now()) + interval '3 days 2 hours', 'bench wait ' || w, 'WAITING',
  now() - (w % 10080) * interval '1 minute'
FROM generate_series(0, :waitlist_rows - 1) AS w;
-- The waiting window is fully taken, or every join is refused (409: a unit is free). Bookings
-- leave units free there (a cancelled slot, the gap after a booking): a closure of the resource
-- over the window takes the units no booking holds, as a blackout's ledger entries do.
INSERT INTO blackouts (org_id, id, scope, scope_id, start_at, end_at, reason, unit_ids, created_by, created_at)
SELECT :'main_org', pg_temp.bench_id(:'main_org', 'blackout', 0), 'resource', pg_temp.bench_id(:'main_org', 'resource', 0),
  date_trunc('hour', now()) + interval '3 days', date_trunc('hour', now()) + interval '3 days 2 hours',
  'bench: the waiting window is taken', jsonb_agg(pg_temp.bench_id(:'main_org', 'unit', u)),
  pg_temp.bench_id(:'main_org', 'account', 0), now()
FROM generate_series(0, 63) AS u;
INSERT INTO allocations (org_id, id, subject_type, subject_id, during, source_type, source_id, active, created_at)
SELECT :'main_org', pg_temp.bench_id(:'main_org', 'closure', u), 'unit', pg_temp.bench_id(:'main_org', 'unit', u),
  tstzrange(date_trunc('hour', now()) + interval '3 days', date_trunc('hour', now()) + interval '3 days 2 hours', '[)'),
  'blackout', pg_temp.bench_id(:'main_org', 'blackout', 0), true, now()
FROM generate_series(0, 63) AS u
ON CONFLICT DO NOTHING;
-- Triggers are off while seeding, so the change row Rota's triggers would have written is
-- written here: the whole org is scored live until its first stored-standings refresh.
INSERT INTO waitlist_standing_changes (org_id) VALUES (:'main_org');
-- Open fines for one requester in five.
INSERT INTO fines (org_id, id, account_id, amount, currency, reason, status, created_at)
SELECT :'main_org', pg_temp.bench_id(:'main_org', 'fine', p), pg_temp.bench_id(:'main_org', 'account', p),
  500, 'EUR', 'bench fine', 'OPEN', now() - interval '3 days'
FROM generate_series(0, 499, 5) AS p;
COMMIT;

-- The growth pair: the same shape of data, 10k and 1M bookings.
BEGIN;
SELECT pg_temp.seed_inventory(:'small_org'), pg_temp.seed_people(:'small_org', 50);
SELECT pg_temp.seed_bookings(:'small_org', 50, :small_rows, 16);
COMMIT;
BEGIN;
SELECT pg_temp.seed_inventory(:'huge_org'), pg_temp.seed_people(:'huge_org', 50);
SELECT pg_temp.seed_bookings(:'huge_org', 50, :huge_rows, 16);
COMMIT;

VACUUM ANALYZE;
