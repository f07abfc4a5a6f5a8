/**
 * The waitlist on PostgreSQL, with the ranking as one query: CTEs count each requester's late
 * returns, open fines and active bookings, and a window function ranks each resource's line.
 *
 * @since 0.1.0
 */
import { Ids, Priority, WaitlistEntry, WaitlistRepo } from "@rota/core"
import { Effect, Layer, Option } from "effect"
import { SqlClient, type Statement } from "effect/sql"
import { type Row, toColumns, toFields, trusted } from "./PgRecords.ts"

const entryColumns = [
  "org_id",
  "id",
  "requester_id",
  "resource_id",
  "start_at",
  "end_at",
  "purpose",
  "priority_score",
  "status",
  "offered_unit_id",
  "offer_start_at",
  "offer_end_at",
  "offer_expires_at",
  "booking_id",
  "version",
  "created_at"
] as const

const toEntry = (row: Row) => {
  const fields: Record<string, unknown> = {}
  for (const column of entryColumns) fields[column] = row[column]
  return new WaitlistEntry.WaitlistEntry(toFields(fields) as never, trusted)
}

const toRanked = (row: Row) =>
  new WaitlistEntry.RankedEntry({
    entry: toEntry(row),
    rank: Number(row.rank),
    priorityScore: Number(row.score),
    scoreParts: {
      role: Number(row.role_points),
      waiting: Number(row.waiting_points),
      lateReturns: Number(row.late_points),
      openFines: Number(row.fine_points),
      activeBookings: Number(row.active_points)
    }
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<WaitlistRepo.WaitlistRepo, never, SqlClient.SqlClient> = Layer.effect(
  WaitlistRepo.WaitlistRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient

    const readOne = (orgId: string, id: string, lock: Statement.Fragment) =>
      Effect.map(
        sql<Row>`SELECT * FROM waitlist_entries WHERE org_id = ${orgId} AND id = ${id} ${lock}`,
        (rows) => Option.map(Option.fromNullishOr(rows[0]), toEntry)
      )

    const ranked = (orgId: string, query: WaitlistRepo.RankQuery) => {
      const { filters, weights, now } = query
      const since = new Date(now.getTime() - Priority.lateReturnWindowDays * 86_400_000)
      // Who is in the line: the population ranked; who is shown is filtered after ranking.
      const population: Array<Statement.Fragment> = [sql`org_id = ${orgId}`]
      if (filters.resourceId !== undefined) population.push(sql`resource_id = ${filters.resourceId}`)
      if (filters.statuses !== undefined && filters.statuses.length > 0)
        population.push(sql`status IN ${sql.in(filters.statuses)}`)
      if (filters.entryId !== undefined)
        population.push(
          sql`resource_id = (SELECT resource_id FROM waitlist_entries WHERE org_id = ${orgId} AND id = ${filters.entryId})`
        )
      const shown: Array<Statement.Fragment> = [sql`TRUE`]
      if (filters.requesterId !== undefined) shown.push(sql`requester_id = ${filters.requesterId}`)
      if (filters.entryId !== undefined) shown.push(sql`id = ${filters.entryId}`)
      if (query.after !== undefined)
        shown.push(sql`(resource_id, rank) > (${query.after.resourceId}::uuid, ${query.after.rank})`)
      // Scores are computed on narrow rows; each requester's counts come from index-only
      // lookups (a few per requester, not a pass over the org's bookings); only the page shown
      // is joined back to the full entries.
      return sql<Row>`
        WITH entries AS (
          SELECT id, requester_id, resource_id, created_at FROM waitlist_entries WHERE ${sql.and(population)}
        ),
        standings AS MATERIALIZED (
          SELECT requesters.requester_id, memberships.role,
            (SELECT count(*) FROM bookings WHERE org_id = ${orgId} AND requester_id = requesters.requester_id
                AND late_minutes > 0 AND returned_at >= ${since})
              + (SELECT count(*) FROM bookings WHERE org_id = ${orgId} AND requester_id = requesters.requester_id
                AND status = 'OVERDUE') AS late_returns,
            (SELECT count(*) FROM fines WHERE org_id = ${orgId} AND account_id = requesters.requester_id
                AND status = 'OPEN') AS open_fines,
            (SELECT count(*) FROM bookings WHERE org_id = ${orgId} AND requester_id = requesters.requester_id
                AND status IN ('PENDING', 'APPROVED', 'CHECKED_OUT', 'OVERDUE') AND end_at > ${now}) AS active_bookings
          FROM (SELECT DISTINCT requester_id FROM entries) AS requesters
          LEFT JOIN memberships ON memberships.org_id = ${orgId}
            AND memberships.account_id = requesters.requester_id AND memberships.deleted_at IS NULL
        ),
        parts AS (
          SELECT entries.id, entries.requester_id, entries.resource_id, entries.created_at,
            CASE standings.role
              WHEN 'owner' THEN ${weights.owner} WHEN 'admin' THEN ${weights.admin}
              WHEN 'manager' THEN ${weights.manager} WHEN 'technician' THEN ${weights.technician}
              WHEN 'member' THEN ${weights.member} ELSE 0
            END AS role_points,
            -- Whole seconds, then whole hours: integer arithmetic, as the core's rule.
            LEAST(GREATEST(floor(extract(epoch FROM (${now}::timestamptz - entries.created_at)))::bigint / 3600, 0),
              ${weights.maxWaitingHours})::int AS waiting_points,
            (-${weights.lateReturn} * standings.late_returns)::int AS late_points,
            (-${weights.openFine} * standings.open_fines)::int AS fine_points,
            (-${weights.activeBooking} * standings.active_bookings)::int AS active_points
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
          SELECT * FROM ranked WHERE ${sql.and(shown)} ORDER BY resource_id, rank LIMIT ${query.limit}
        )
        SELECT waitlist_entries.*, page.rank, page.score, page.role_points, page.waiting_points,
          page.late_points, page.fine_points, page.active_points
        FROM page JOIN waitlist_entries ON waitlist_entries.org_id = ${orgId} AND waitlist_entries.id = page.id
        ORDER BY page.resource_id, page.rank`.pipe(
        Effect.map((rows) => rows.map(toRanked)),
        Effect.orDie
      )
    }

    return WaitlistRepo.WaitlistRepo.of({
      insert: (entry) =>
        sql`INSERT INTO waitlist_entries ${sql.insert(toColumns({ ...entry }))}`.pipe(
          Effect.as(entry),
          Effect.orDie
        ),
      find: (orgId, id, options) =>
        Ids.isUuid(id)
          ? readOne(orgId, id, options?.forUpdate === true ? sql`FOR UPDATE` : sql``).pipe(Effect.orDie)
          : Effect.succeed(Option.none()),
      lockWaiting: (orgId, id) =>
        Effect.map(
          sql<Row>`SELECT * FROM waitlist_entries WHERE org_id = ${orgId} AND id = ${id} AND status = 'WAITING'
            FOR UPDATE`,
          (rows) => Option.map(Option.fromNullishOr(rows[0]), toEntry)
        ).pipe(Effect.orDie),
      update: (orgId, id, changes) =>
        Effect.gen(function* () {
          const columns = toColumns(changes)
          const [row] = yield* sql<Row>`UPDATE waitlist_entries
            SET ${Object.keys(columns).length === 0 ? sql`` : sql`${sql.update(columns)}, `}version = version + 1
            WHERE org_id = ${orgId} AND id = ${id} RETURNING *`
          return toEntry(row!)
        }).pipe(Effect.orDie),
      ranked,
      lockExpiredOffers: (now, limit) =>
        sql<Row>`SELECT * FROM waitlist_entries WHERE status = 'OFFERED' AND offer_expires_at <= ${now}
          ORDER BY offer_expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`.pipe(
          Effect.map((rows) => rows.map(toEntry)),
          Effect.orDie
        )
    })
  })
)
