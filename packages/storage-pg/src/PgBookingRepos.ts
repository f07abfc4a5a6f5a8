/**
 * Bookings (with their items) and fines (with their payments) on PostgreSQL. State changes are
 * made under the row lock the use case takes (`find` with `forUpdate`), so the writes here need
 * no guards of their own.
 *
 * @since 0.1.0
 */
import { Booking, BookingRepos, Fine, Ids } from "@rota/core"
import { DateTime, Effect, Layer, Option } from "effect"
import { SqlClient } from "effect/sql"
import { listOptions, withItems } from "./BookingListSql.ts"
import * as Keyset from "./Keyset.ts"
import * as PendingWrites from "./PendingWrites.ts"
import { construct, type Row, toColumns, toFields, trusted } from "./PgRecords.ts"

const _inList = <T>(sql: SqlClient.SqlClient, column: string, values: ReadonlyArray<T> | undefined) =>
  values === undefined || values.length === 0 ? undefined : sql`${sql(column)} IN ${sql.in(values)}`

// --- bookings -----------------------------------------------------------------------------------

// The drivers answer json as text or as parsed values, depending on the client.
const jsonOf = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

const toBooking = (row: Row) => {
  const fields = toFields(row)
  return construct(Booking.Booking, { ...fields, items: jsonOf(row.items) ?? [] }, trusted)
}

type BookingRepo = BookingRepos.BookingRepo["Service"]

const readBooking = (sql: SqlClient.SqlClient, orgId: string, id: string) =>
  Effect.map(
    sql<Row>`SELECT * FROM (${withItems(sql)}) AS record WHERE org_id = ${orgId} AND id = ${id}`,
    (rows) => Option.map(Option.fromNullishOr(rows[0]), toBooking)
  )

// What an item row repeats of its booking: the keys the unit's listing reads (migration 0040).
interface ItemKeys {
  readonly org_id: string
  readonly booking_id: string
  readonly start_at: Date
  readonly created_at: Date
  readonly status: string
}

const itemRows = (keys: ItemKeys, items: ReadonlyArray<Booking.BookingItem>) =>
  items.map((item) => ({ ...keys, unit_id: item.unitId, resource_id: item.resourceId }))

const keysOf = (booking: Booking.Booking): ItemKeys => ({
  org_id: booking.orgId,
  booking_id: booking.id,
  start_at: DateTime.toDateUtc(booking.startAt),
  created_at: DateTime.toDateUtc(booking.createdAt),
  status: booking.status
})

const writeItems = (sql: SqlClient.SqlClient, keys: ItemKeys, items: ReadonlyArray<Booking.BookingItem>) => {
  const [first, ...rest] = itemRows(keys, items)
  return first === undefined
    ? Effect.void
    : sql`INSERT INTO booking_items ${sql.insert([first, ...rest])}`.pipe(Effect.asVoid)
}

// The booking and its items are written with the transaction's other held writes, just before
// its COMMIT: nothing in a create reads them back, and the rows that name a booking are checked
// against it at commit (migration 0039). Outside a transaction they go at once, as one statement.
const insertBooking =
  (sql: SqlClient.SqlClient): BookingRepo["insert"] =>
  (booking) => {
    const { items, ...fields } = booking
    const [first, ...rest] = itemRows(keysOf(booking), items)
    const insertRow = sql`INSERT INTO bookings ${sql.insert(toColumns(fields))}`
    return PendingWrites.writeTogether(
      sql,
      first === undefined
        ? [insertRow]
        : [insertRow, sql`INSERT INTO booking_items ${sql.insert([first, ...rest])}`]
    ).pipe(Effect.as(booking), Effect.orDie)
  }

const updateBooking =
  (sql: SqlClient.SqlClient): BookingRepo["update"] =>
  (orgId, id, changes) =>
    Effect.gen(function* () {
      const { items, ...fields } = changes
      const columns = toColumns(fields)
      // A change of start or status reaches the items through their foreign key (ON UPDATE
      // CASCADE); replaced items are removed first, and written with the keys as updated.
      if (items !== undefined)
        yield* sql`DELETE FROM booking_items WHERE org_id = ${orgId} AND booking_id = ${id}`
      const [keys] =
        yield* sql<ItemKeys>`UPDATE bookings SET ${Object.keys(columns).length === 0 ? sql`` : sql`${sql.update(columns)}, `}version = version + 1
            WHERE org_id = ${orgId} AND id = ${id}
            RETURNING org_id, id AS booking_id, start_at, created_at, status`
      if (items !== undefined && keys !== undefined) yield* writeItems(sql, keys, items)
      return Option.getOrThrow(yield* readBooking(sql, orgId, id))
    }).pipe(Effect.orDie)

const holdingUnits =
  (sql: SqlClient.SqlClient): BookingRepo["holdingUnits"] =>
  (orgId, unitIds, except) =>
    unitIds.length === 0
      ? Effect.succeed([])
      : sql<{
          booking_id: string
          unit_id: string
        }>`SELECT booking_items.booking_id, booking_items.unit_id
              FROM booking_items JOIN bookings
                ON bookings.org_id = booking_items.org_id AND bookings.id = booking_items.booking_id
              WHERE booking_items.org_id = ${orgId} AND booking_items.unit_id IN ${sql.in(unitIds)}
                AND bookings.status IN ('CHECKED_OUT', 'OVERDUE') AND bookings.id <> ${except}`.pipe(
          Effect.map((rows) =>
            rows.map((row) => ({
              bookingId: row.booking_id,
              unitId: row.unit_id as Booking.BookingItem["unitId"]
            }))
          ),
          Effect.orDie
        )

const lockOverdue =
  (sql: SqlClient.SqlClient): BookingRepo["lockOverdue"] =>
  (now, limit) =>
    Effect.gen(function* () {
      const due = yield* sql<{ org_id: string; id: string }>`SELECT org_id, id FROM bookings
            WHERE status = 'CHECKED_OUT' AND end_at < ${DateTime.toDateUtc(now)}
            ORDER BY end_at LIMIT ${limit} FOR UPDATE SKIP LOCKED`
      const found = yield* Effect.forEach(due, (row) => readBooking(sql, row.org_id, row.id))
      return found.flatMap(Option.toArray)
    }).pipe(Effect.orDie)

/**
 * @since 0.1.0
 * @category layers
 */
export const bookingRepo: Layer.Layer<BookingRepos.BookingRepo, never, SqlClient.SqlClient> = Layer.effect(
  BookingRepos.BookingRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return BookingRepos.BookingRepo.of({
      insert: insertBooking(sql),
      find: (orgId, id, options) =>
        Effect.gen(function* () {
          if (!Ids.isUuid(id)) return Option.none()
          if (options?.forUpdate === true)
            yield* sql`SELECT 1 FROM bookings WHERE org_id = ${orgId} AND id = ${id} FOR UPDATE`
          return yield* readBooking(sql, orgId, id)
        }).pipe(Effect.orDie),
      list: (orgId, query) =>
        Effect.map(Keyset.page<Row>(sql, listOptions(sql, orgId, query)), (page) => ({
          items: page.items.map(toBooking),
          nextCursor: page.nextCursor
        })),
      update: updateBooking(sql),
      holdingUnits: holdingUnits(sql),
      lockOverdue: lockOverdue(sql)
    })
  })
)

// --- fines --------------------------------------------------------------------------------------

const toFine = (row: Row) => {
  const fields = toFields(row)
  // bigint columns arrive as strings; amounts stay far below 2^53.
  return construct(
    Fine.Fine,
    { ...fields, amount: Number(fields.amount), paid: Number(fields.paid) },
    trusted
  )
}

/**
 * @since 0.1.0
 * @category layers
 */
export const fineRepo: Layer.Layer<BookingRepos.FineRepo, never, SqlClient.SqlClient> = Layer.effect(
  BookingRepos.FineRepo,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const readOne = (orgId: string, id: string) =>
      Effect.map(sql<Row>`SELECT * FROM fines WHERE org_id = ${orgId} AND id = ${id}`, (rows) =>
        Option.map(Option.fromNullishOr(rows[0]), toFine)
      )
    return BookingRepos.FineRepo.of({
      insert: (fine) =>
        sql`INSERT INTO fines ${sql.insert(toColumns({ ...fine }))}`.pipe(Effect.as(fine), Effect.orDie),
      find: (orgId, id, options) =>
        Effect.gen(function* () {
          if (!Ids.isUuid(id)) return Option.none()
          return yield* options?.forUpdate === true
            ? Effect.map(
                sql<Row>`SELECT * FROM fines WHERE org_id = ${orgId} AND id = ${id} FOR UPDATE`,
                (rows) => Option.map(Option.fromNullishOr(rows[0]), toFine)
              )
            : readOne(orgId, id)
        }).pipe(Effect.orDie),
      list: (orgId, query) =>
        Effect.map(
          Keyset.page<Row>(sql, {
            source: sql`fines`,
            conditions: [
              sql`org_id = ${orgId}`,
              query.filters.accountId === undefined
                ? undefined
                : sql`account_id = ${query.filters.accountId}`,
              query.filters.bookingId === undefined ? undefined : sql`booking_id = ${query.filters.bookingId}`
            ],
            split: { column: "status", values: query.filters.statuses },
            column: { name: "created_at", kind: "timestamp" },
            direction: (query.sort ?? { field: "createdAt", direction: "desc" }).direction,
            limit: query.limit,
            cursor: query.cursor
          }),
          (page) => ({ items: page.items.map(toFine), nextCursor: page.nextCursor })
        ),
      update: (orgId, id, changes) =>
        Effect.gen(function* () {
          yield* sql`UPDATE fines SET ${sql.update(toColumns(changes))}, version = version + 1
            WHERE org_id = ${orgId} AND id = ${id}`
          return Option.getOrThrow(yield* readOne(orgId, id))
        }).pipe(Effect.orDie),
      addPayment: (payment) =>
        sql`INSERT INTO fine_payments ${sql.insert(toColumns({ ...payment }))}`.pipe(
          Effect.asVoid,
          Effect.orDie
        )
    })
  })
)

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.mergeAll(bookingRepo, fineRepo)
