-- Reference for booking create: the one INSERT that carries the no-double-booking rule, into
-- the ledger with its exclusion constraint, on a random subject so no two transactions clash.
-- pgbench -M prepared -D org=<uuid>
INSERT INTO allocations (org_id, id, subject_type, subject_id, during, source_type, source_id, active, created_at)
VALUES (:org, gen_random_uuid(), 'unit', gen_random_uuid(),
  tstzrange(now() + interval '400 days', now() + interval '400 days 1 hour', '[)'),
  'booking', gen_random_uuid(), true, now());
