/**
 * The waitlist on PostgreSQL. Rankings are one query each (see `PgWaitlistRanking`): a
 * resource's line of WAITING entries is read through the stored standings, every resource's
 * lines line by line the same way (`WaitlistAcrossLines`), one requester's entries with ranks
 * counted through the same stored order (`WaitlistMine`), anything else is scored live.
 *
 * @since 0.1.0
 */
import { Ids, WaitlistEntry, WaitlistRepo } from "@rota/core"
import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient, type Statement } from "effect/sql"
import { construct, type Row, toColumns, trusted } from "./PgRecords.ts"
import * as PgWaitlistRanking from "./PgWaitlistRanking.ts"
import * as WaitlistAcrossLines from "./WaitlistAcrossLines.ts"
import * as WaitlistMine from "./WaitlistMine.ts"

// Times as the entity holds them; anything else is left for the class to refuse.
const utc = (value: unknown) => (value instanceof Date ? DateTime.fromDateUnsafe(value) : value)

// Column by column rather than through the generic row mapping: listings read a page of these
// on every request, and the class still checks each field's type as it constructs.
const toEntry = (row: Row) =>
  construct(
    WaitlistEntry.WaitlistEntry,
    {
      id: row.id,
      orgId: row.org_id,
      requesterId: row.requester_id,
      resourceId: row.resource_id,
      startAt: utc(row.start_at),
      endAt: utc(row.end_at),
      purpose: row.purpose,
      priorityScore: row.priority_score,
      status: row.status,
      offeredUnitId: row.offered_unit_id,
      offerStartAt: utc(row.offer_start_at),
      offerEndAt: utc(row.offer_end_at),
      offerExpiresAt: utc(row.offer_expires_at),
      bookingId: row.booking_id,
      version: row.version,
      createdAt: utc(row.created_at)
    },
    trusted
  )

const partsOf = (row: Row): WaitlistEntry.ScoreParts => ({
  role: Number(row.role_points),
  waiting: Number(row.waiting_points),
  lateReturns: Number(row.late_points),
  openFines: Number(row.fine_points),
  activeBookings: Number(row.active_points)
})

const toRanked = (row: Row) =>
  new WaitlistEntry.RankedEntry(
    {
      entry: toEntry(row),
      rank: Number(row.rank),
      priorityScore: Number(row.score),
      scoreParts: partsOf(row)
    },
    // Read back from the store: shapes and types are checked, the input filters are not re-run.
    trusted
  )

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

    const ranked = (orgId: string, query: WaitlistRepo.RankQuery) =>
      (PgWaitlistRanking.storedAnswers(query)
        ? PgWaitlistRanking.stored(sql, orgId, query)
        : WaitlistAcrossLines.storedAcrossAnswers(query)
          ? WaitlistAcrossLines.storedAcross(sql, orgId, query)
          : WaitlistMine.mineAnswers(query)
            ? WaitlistMine.mine(sql, orgId, query)
            : PgWaitlistRanking.live(sql, orgId, query)
      ).pipe(
        Effect.map((rows) => rows.map(toRanked)),
        Effect.orDie
      )

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
      scoreOf: (orgId, id, weights, now) =>
        Ids.isUuid(id)
          ? PgWaitlistRanking.scoreOf(sql, orgId, id, weights, DateTime.toDateUtc(now)).pipe(
              Effect.map((rows) => Option.map(Option.fromNullishOr(rows[0]), partsOf)),
              Effect.orDie
            )
          : Effect.succeed(Option.none()),
      refreshRanking: (orgId, weights, now) =>
        Effect.orDie(PgWaitlistRanking.refresh(sql, orgId, weights, DateTime.toDateUtc(now))),
      rankingsDue: (now, limit) => Effect.orDie(PgWaitlistRanking.due(sql, DateTime.toDateUtc(now), limit)),
      lockExpiredOffers: (now, limit) =>
        sql<Row>`SELECT * FROM waitlist_entries WHERE status = 'OFFERED' AND offer_expires_at <= ${DateTime.toDateUtc(now)}
          ORDER BY offer_expires_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`.pipe(
          Effect.map((rows) => rows.map(toEntry)),
          Effect.orDie
        )
    })
  })
)
