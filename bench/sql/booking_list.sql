-- Reference for the booking list: the SELECT Rota's repository sends for
-- GET /v1/bookings?limit=20&sort=startAt&status=APPROVED&from=..&to=.. (one row more than the
-- page, to know whether there is a next one).
-- pgbench -M prepared -D org=<uuid> -D from=<timestamptz> -D to=<timestamptz>
SELECT * FROM (SELECT bookings.*, (
    SELECT json_agg(json_build_object('unitId', unit_id, 'resourceId', resource_id) ORDER BY unit_id)
    FROM booking_items
    WHERE booking_items.org_id = bookings.org_id AND booking_items.booking_id = bookings.id
  ) AS items
  FROM bookings) AS record
WHERE org_id = :org AND status IN ('APPROVED') AND end_at > :from AND start_at < :to
ORDER BY start_at ASC, id ASC LIMIT 21;
