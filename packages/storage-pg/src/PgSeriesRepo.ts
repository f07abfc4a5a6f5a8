/**
 * Booking series on PostgreSQL: `booking_series` and one `booking_series_occurrences` row per
 * occurrence, written in the caller's transaction.
 *
 * @since 0.1.0
 */
import { Ids, Series, SeriesRepo } from "@rota/core"
import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"

const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

type Row = Readonly<Record<string, unknown>>

const instant = (value: unknown) => DateTime.fromDateUnsafe(value as Date)

const occurrenceOf = (row: Row) => ({
  date: row.local_date as string,
  startAt: instant(row.start_at),
  endAt: instant(row.end_at),
  outcome: row.outcome as Series.Outcome,
  bookingId: (row.booking_id ?? null) as Series.OccurrenceReport["bookingId"],
  conflicts: []
})

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SeriesRepo.SeriesRepo, never, SqlClient.SqlClient> = Layer.effect(
  SeriesRepo.SeriesRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return SeriesRepo.SeriesRepo.of({
      insert: (series) =>
        Effect.gen(function* () {
          yield* sql`INSERT INTO booking_series ${sql.insert({
            org_id: series.orgId,
            id: series.id,
            requester_id: series.requesterId,
            rule: series.rule,
            exceptions: JSON.stringify(series.exceptions),
            time_zone: series.timeZone,
            purpose: series.purpose,
            created_at: DateTime.toDateUtc(series.createdAt)
          })}`
          const rows = series.occurrences.map(
            (occurrence): Record<string, unknown> => ({
              org_id: series.orgId,
              series_id: series.id,
              start_at: DateTime.toDateUtc(occurrence.startAt),
              end_at: DateTime.toDateUtc(occurrence.endAt),
              local_date: occurrence.date,
              outcome: occurrence.outcome,
              booking_id: occurrence.bookingId
            })
          )
          const [first, ...rest] = rows
          if (first !== undefined)
            yield* sql`INSERT INTO booking_series_occurrences ${sql.insert([first, ...rest])}`
          return series
        }).pipe(Effect.orDie),
      // An id that is no UUID names no series (PostgreSQL would refuse the comparison).
      find: (orgId, id) =>
        Effect.gen(function* () {
          if (!Ids.isUuid(id)) return Option.none()
          const rows = yield* sql`SELECT * FROM booking_series WHERE org_id = ${orgId} AND id = ${id}`
          const row = rows[0]
          if (row === undefined) return Option.none()
          const occurrences = yield* sql`SELECT * FROM booking_series_occurrences
            WHERE org_id = ${orgId} AND series_id = ${id} ORDER BY start_at`
          return Option.some(
            new Series.BookingSeries(
              {
                id: row.id as Series.BookingSeriesId,
                orgId,
                requesterId: row.requester_id as Series.BookingSeries["requesterId"],
                rule: row.rule as string,
                exceptions: json(row.exceptions) as ReadonlyArray<string>,
                timeZone: row.time_zone as string,
                purpose: row.purpose as string,
                createdAt: instant(row.created_at),
                occurrences: occurrences.map(occurrenceOf)
              },
              { disableChecks: true }
            )
          )
        }).pipe(Effect.orDie),
      bookingsFrom: (orgId, id, from) =>
        Ids.isUuid(id)
          ? sql`SELECT booking_id FROM booking_series_occurrences
          WHERE org_id = ${orgId} AND series_id = ${id} AND booking_id IS NOT NULL
            AND start_at >= ${DateTime.toDateUtc(from)}
          ORDER BY start_at`.pipe(
              Effect.map((rows) =>
                rows.map((row) => row.booking_id as Series.OccurrenceReport["bookingId"] & string)
              ),
              Effect.orDie
            )
          : Effect.succeed([])
    })
  })
)
