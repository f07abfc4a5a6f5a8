-- Reference for booking create, statement for statement: what Rota sends for one
-- POST /v1/bookings, in the same 6 round trips RoundTrips.test.ts counts on the wire (the
-- idempotency claim, then BEGIN, the unit's standing, the ledger entry, the held writes: the
-- booking with its item, the audit event, outbox message and stored answer; COMMIT), into the same tables with
-- their constraints, indexes and the change feed's trigger, with payloads of the same size.
-- Its rate is what the database and the wire allow for this sequence; Rota's rate against it
-- is what the server itself costs per create.
-- pgbench -M prepared -D org=<uuid> -D account=<uuid> -D resource=<uuid> -D run=<text>
\set n random(0, 63)
\set slot random(1, 3000000)
\set k random(1, 2000000000)
INSERT INTO idempotency_keys ("org_id","account_id","key","fingerprint","created_at","lease_until")
VALUES (:org::uuid, :account::uuid, :run::text || '-' || :client_id::text || '-' || :k::text, md5(:k::text) || md5(:run::text), now(), now() + interval '1 minute')
ON CONFLICT (org_id, account_id, key) DO UPDATE SET
  fingerprint = EXCLUDED.fingerprint, created_at = EXCLUDED.created_at, lease_until = EXCLUDED.lease_until,
  response_status = NULL, response_headers = NULL, response_body = NULL
WHERE idempotency_keys.created_at < now() - interval '1 day'
RETURNING 1 AS taken;
BEGIN;
SELECT u.id, u.resource_id, u.status, u.deleted_at, r.status AS resource_status, r.deleted_at AS resource_deleted_at
FROM resource_units u JOIN resources r ON r.org_id = u.org_id AND r.id = u.resource_id
WHERE u.org_id = :org::uuid AND u.id IN (overlay(overlay(md5(:org::text || 'unit' || :n::text) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid);
INSERT INTO allocations (org_id, id, subject_type, subject_id, during, source_type, source_id, active, created_at)
VALUES (:org::uuid, gen_random_uuid(), 'unit', overlay(overlay(md5(:org::text || 'unit' || :n::text) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid,
  tstzrange(now() + interval '300 days' + :slot::int * interval '2 hours', now() + interval '300 days' + :slot::int * interval '2 hours' + interval '1 hour', '[)'), 'booking', md5(:run::text || '-' || :client_id::text || '-' || :k::text)::uuid, true, now())
ON CONFLICT DO NOTHING RETURNING id;
WITH b0 AS (
  INSERT INTO bookings ("id","org_id","requester_id","status","start_at","end_at","purpose","version","created_at","approved_by","approved_at","cancelled_at","checked_out_at","returned_at","late_minutes")
  VALUES (md5(:run::text || '-' || :client_id::text || '-' || :k::text)::uuid, :org::uuid, :account::uuid, 'APPROVED', now() + interval '300 days' + :slot::int * interval '2 hours', now() + interval '300 days' + :slot::int * interval '2 hours' + interval '1 hour',
    'bench', 1, now(), :account::uuid, now(), NULL, NULL, NULL, 0)),
b1 AS (
  INSERT INTO booking_items ("org_id","booking_id","unit_id","resource_id","start_at","created_at","status")
  VALUES (:org::uuid, md5(:run::text || '-' || :client_id::text || '-' || :k::text)::uuid, overlay(overlay(md5(:org::text || 'unit' || :n::text) PLACING '4' FROM 13) PLACING '8' FROM 17)::uuid, :resource::uuid,
    now() + interval '300 days' + :slot::int * interval '2 hours', now(), 'APPROVED')),
w0 AS (
  INSERT INTO audit_events ("org_id","id","actor_id","entity_type","entity_id","action","before","after","at","request_id")
  VALUES (:org::uuid, gen_random_uuid(), :account::uuid, 'booking', md5(:run::text || '-' || :client_id::text || '-' || :k::text)::uuid, 'CREATE', NULL,
    jsonb_build_object('id', md5(:run::text || '-' || :client_id::text || '-' || :k::text)::uuid, 'orgId', :org::uuid, 'requesterId', :account::uuid,
      'status', 'APPROVED', 'purpose', 'bench', 'version', 1, 'lateMinutes', 0, 'approvedBy', :account::uuid,
      'startAt', now(), 'endAt', now(), 'createdAt', now(), 'approvedAt', now(), 'returnedAt', NULL,
      'cancelledAt', NULL, 'checkedOutAt', NULL,
      'items', jsonb_build_array(jsonb_build_object('unitId', overlay(overlay(md5(:org::text || 'unit' || :n::text) PLACING '4' FROM 13) PLACING '8' FROM 17), 'resourceId', :resource::uuid))),
    now(), gen_random_uuid())),
w1 AS (
  INSERT INTO outbox_messages ("id","org_id","topic","payload","created_at","available_at","attempts")
  VALUES (gen_random_uuid(), :org::uuid, 'booking.created',
    jsonb_build_object('id', md5(:run::text || '-' || :client_id::text || '-' || :k::text)::uuid, 'status', 'APPROVED', 'version', 1, 'requesterId', :account::uuid),
    now(), now(), 0)),
w2 AS (
  UPDATE idempotency_keys SET response_status = 201,
    response_headers = '{"etag": "\"1\"", "content-type": "application/json"}',
    response_body = repeat('x', 520)
  WHERE org_id = :org::uuid AND account_id = :account::uuid AND key = :run::text || '-' || :client_id::text || '-' || :k::text)
SELECT 1;
COMMIT;
