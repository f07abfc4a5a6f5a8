/**
 * The booking ports on the {@link MemoryDatabase}: `BookingRepo` and `FineRepo`, for tests of the
 * use cases that run in milliseconds, their writes committed or rolled back with the rest of the
 * database. They pass the same contract suite as the PostgreSQL adapters
 * (`BookingReposContract`). Row locks need no model: memory transactions run one at a time.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer, Option } from "effect"
import { Booking, type BookingItem } from "../bookings/Booking.ts"
import { BookingRepo, FineRepo } from "../bookings/BookingRepos.ts"
import { Fine, type Payment } from "../bookings/Fine.ts"
import { MemoryDatabase, put, rows } from "./MemoryDatabase.ts"
import { pageOf } from "./MemoryPages.ts"

const bookings = rows<Booking>("bookings")
const fines = rows<Fine>("fines")
const payments = rows<Payment>("fine_payments")

const keyOf = (orgId: string, id: string) => `${orgId}/${id}`

// Items are read back by unit id, as the stored booking keeps them.
const byUnit = (items: ReadonlyArray<BookingItem>) =>
  [...items].sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0))

const millis = (at: DateTime.Utc) => DateTime.toEpochMillis(at)

/**
 * @since 0.1.0
 * @category layers
 */
export const bookingRepo: Layer.Layer<BookingRepo, never, MemoryDatabase> = Layer.effect(
  BookingRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const save = (booking: Booking) =>
      database.modify(bookings, (table) => {
        const stored = new Booking({ ...booking, items: byUnit(booking.items) })
        return [stored, put(table, keyOf(booking.orgId, booking.id), stored)] as const
      })
    const all = Effect.map(database.read(bookings), (table) => [...table.values()])
    const ofOrg = (orgId: string) =>
      Effect.map(all, (rows) => rows.filter((booking) => booking.orgId === orgId))
    return BookingRepo.of({
      insert: Effect.fn("MemoryBookingRepo.insert")((booking) => Effect.as(save(booking), booking)),
      find: Effect.fn("MemoryBookingRepo.find")((orgId, id) =>
        Effect.map(database.read(bookings), (table) => Option.fromNullishOr(table.get(keyOf(orgId, id))))
      ),
      list: Effect.fn("MemoryBookingRepo.list")((orgId, query) => {
        const { filters } = query
        const sort = query.sort ?? { field: "startAt", direction: "asc" }
        return Effect.flatMap(ofOrg(orgId), (rows) =>
          pageOf(
            rows.filter(
              (booking) =>
                (filters.statuses === undefined || filters.statuses.includes(booking.status)) &&
                (filters.requesterId === undefined || booking.requesterId === filters.requesterId) &&
                (filters.unitId === undefined ||
                  booking.items.some((item) => item.unitId === filters.unitId)) &&
                (filters.resourceId === undefined ||
                  booking.items.some((item) => item.resourceId === filters.resourceId)) &&
                (filters.from === undefined ||
                  millis(booking.endAt) > DateTime.toEpochMillis(filters.from)) &&
                (filters.to === undefined || millis(booking.startAt) < DateTime.toEpochMillis(filters.to))
            ),
            {
              positionOf: (booking) => [
                millis(sort.field === "startAt" ? booking.startAt : booking.createdAt),
                booking.id
              ],
              direction: sort.direction,
              limit: query.limit,
              cursor: query.cursor
            }
          )
        )
      }),
      update: Effect.fn("MemoryBookingRepo.update")((orgId, id, changes) =>
        Effect.flatMap(database.read(bookings), (table) => {
          const before = table.get(keyOf(orgId, id))
          if (before === undefined) return Effect.die(new Error(`booking ${id} is not stored`))
          const { items, ...fields } = changes
          return save(
            new Booking({ ...before, ...fields, items: items ?? before.items, version: before.version + 1 })
          )
        })
      ),
      holdingUnits: Effect.fn("MemoryBookingRepo.holdingUnits")((orgId, unitIds, except) =>
        Effect.map(ofOrg(orgId), (rows) =>
          rows
            .filter((booking) => booking.id !== except && ["CHECKED_OUT", "OVERDUE"].includes(booking.status))
            .flatMap((booking) =>
              booking.items
                .filter((item) => unitIds.includes(item.unitId))
                .map((item) => ({ bookingId: booking.id, unitId: item.unitId }))
            )
        )
      ),
      lockOverdue: Effect.fn("MemoryBookingRepo.lockOverdue")((now, limit) =>
        Effect.map(all, (rows) =>
          rows
            .filter(
              (booking) =>
                booking.status === "CHECKED_OUT" && millis(booking.endAt) < DateTime.toEpochMillis(now)
            )
            .sort((a, b) => millis(a.endAt) - millis(b.endAt))
            .slice(0, limit)
        )
      )
    })
  })
)

/**
 * @since 0.1.0
 * @category layers
 */
export const fineRepo: Layer.Layer<FineRepo, never, MemoryDatabase> = Layer.effect(
  FineRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    return FineRepo.of({
      insert: Effect.fn("MemoryFineRepo.insert")((fine) =>
        database.modify(fines, (table) => [fine, put(table, keyOf(fine.orgId, fine.id), fine)] as const)
      ),
      find: Effect.fn("MemoryFineRepo.find")((orgId, id) =>
        Effect.map(database.read(fines), (table) => Option.fromNullishOr(table.get(keyOf(orgId, id))))
      ),
      list: Effect.fn("MemoryFineRepo.list")((orgId, query) => {
        const { filters } = query
        return Effect.flatMap(database.read(fines), (table) =>
          pageOf(
            [...table.values()].filter(
              (fine) =>
                fine.orgId === orgId &&
                (filters.statuses === undefined || filters.statuses.includes(fine.status)) &&
                (filters.accountId === undefined || fine.accountId === filters.accountId) &&
                (filters.bookingId === undefined || fine.bookingId === filters.bookingId)
            ),
            {
              positionOf: (fine) => [millis(fine.createdAt), fine.id],
              direction: (query.sort ?? { field: "createdAt", direction: "desc" }).direction,
              limit: query.limit,
              cursor: query.cursor
            }
          )
        )
      }),
      update: Effect.fn("MemoryFineRepo.update")((orgId, id, changes) =>
        Effect.flatMap(database.read(fines), (table) => {
          const before = table.get(keyOf(orgId, id))
          if (before === undefined) return Effect.die(new Error(`fine ${id} is not stored`))
          const after = new Fine({ ...before, ...changes, version: before.version + 1 })
          return database.modify(fines, (rows) => [after, put(rows, keyOf(orgId, id), after)] as const)
        })
      ),
      addPayment: Effect.fn("MemoryFineRepo.addPayment")((payment) =>
        database.modify(payments, (table) => [undefined, put(table, String(table.size), payment)] as const)
      )
    })
  })
)

/**
 * Both booking ports, on the database in the context.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<BookingRepo | FineRepo, never, MemoryDatabase> = Layer.mergeAll(
  bookingRepo,
  fineRepo
)
