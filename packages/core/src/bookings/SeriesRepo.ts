/**
 * The storage port of booking series: the series, its occurrences' outcomes, and the bookings
 * from a given time on (for "cancel this and the following ones").
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect, type Option } from "effect"
import type { OrgId } from "../kernel/Ids.ts"
import type { BookingId } from "./Booking.ts"
import type { BookingSeries } from "./Series.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class SeriesRepo extends Context.Service<
  SeriesRepo,
  {
    /** Writes the series and its occurrences, in the caller's transaction. */
    readonly insert: (series: BookingSeries) => Effect.Effect<BookingSeries>
    readonly find: (orgId: OrgId, id: string) => Effect.Effect<Option.Option<BookingSeries>>
    /** The bookings of the series' occurrences starting at or after `from`, earliest first. */
    readonly bookingsFrom: (
      orgId: OrgId,
      id: string,
      from: DateTime.Utc
    ) => Effect.Effect<ReadonlyArray<BookingId>>
  }
>()("@rota/core/bookings/SeriesRepo") {}
