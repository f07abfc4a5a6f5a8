/**
 * The `SeriesRepo` port on the {@link MemoryDatabase}: a series stored as PostgreSQL stores it,
 * its occurrences in start order and without the conflicts the report named. The same
 * `SeriesRepoContract` holds both adapters to it.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer, Option } from "effect"
import { BookingSeries } from "../bookings/Series.ts"
import { SeriesRepo } from "../bookings/SeriesRepo.ts"
import type { OrgId } from "../kernel/Ids.ts"
import { MemoryDatabase, put, rows } from "./MemoryDatabase.ts"

const series = rows<BookingSeries>("booking_series")

const keyOf = (orgId: string, id: string) => `${orgId}/${id}`

const millis = (at: DateTime.Utc) => DateTime.toEpochMillis(at)

// What the tables keep of a series.
const stored = (created: BookingSeries) =>
  new BookingSeries({
    ...created,
    occurrences: [...created.occurrences]
      .sort((a, b) => millis(a.startAt) - millis(b.startAt))
      .map((occurrence) => ({ ...occurrence, conflicts: [] }))
  })

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SeriesRepo, never, MemoryDatabase> = Layer.effect(
  SeriesRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase

    const find = Effect.fn("MemorySeriesRepo.find")(function* (orgId: OrgId, id: string) {
      return Option.fromNullishOr((yield* database.read(series)).get(keyOf(orgId, id)))
    })

    const insert = Effect.fn("MemorySeriesRepo.insert")(function* (created: BookingSeries) {
      yield* database.modify(series, (table) => [
        undefined,
        put(table, keyOf(created.orgId, created.id), stored(created))
      ])
      return created
    })

    const bookingsFrom = Effect.fn("MemorySeriesRepo.bookingsFrom")(function* (
      orgId: OrgId,
      id: string,
      from: DateTime.Utc
    ) {
      const found = yield* find(orgId, id)
      if (Option.isNone(found)) return []
      return found.value.occurrences.flatMap((occurrence) =>
        occurrence.bookingId !== null && millis(occurrence.startAt) >= millis(from)
          ? [occurrence.bookingId]
          : []
      )
    })

    return SeriesRepo.of({ insert, find, bookingsFrom })
  })
)
