/**
 * The booking series use case: one request books every occurrence of a recurrence rule, each as
 * an ordinary booking on the time ledger, in one transaction with the series' audit event,
 * outbox message and idempotency record. An occurrence the ledger refuses is reported with the
 * claims in the way (or, with `allOrNothing`, refuses the whole request); "this and the
 * following ones" are cancelled together.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, Effect, Layer } from "effect"
import type { OrgRepo } from "../identity/IdentityRepos.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type {
  Forbidden,
  InvalidTransition,
  NotFound,
  PreconditionFailed,
  PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { NotBookable } from "./BookingErrors.ts"
import type { NewSeries } from "./BookingSeriesSteps.ts"
import * as Steps from "./BookingSeriesSteps.ts"
import type { Bookings } from "./Bookings.ts"
import type * as Series from "./Series.ts"
import type { SeriesRepo } from "./SeriesRepo.ts"

export type {
  /** @since 0.1.0 */
  NewSeries
} from "./BookingSeriesSteps.ts"

type Lookup = Forbidden | NotFound

/**
 * @since 0.1.0
 * @category services
 */
export class BookingSeries extends Context.Service<
  BookingSeries,
  {
    readonly create: (
      input: NewSeries
    ) => Effect.Effect<
      Series.BookingSeries,
      Lookup | ValidationFailed | NotBookable | Series.SeriesConflict,
      CurrentActor
    >
    /** Members see their own series only; managers see all. */
    readonly get: (id: string) => Effect.Effect<Series.BookingSeries, Lookup, CurrentActor>
    /**
     * Cancels the series' bookings starting at or after `from` (now when not given) that may
     * still be cancelled.
     */
    readonly cancelFrom: (
      id: string,
      from?: DateTime.Utc | undefined
    ) => Effect.Effect<
      Series.SeriesCancellation,
      Lookup | PreconditionRequired | PreconditionFailed | InvalidTransition,
      CurrentActor
    >
  }
>()("@rota/core/bookings/BookingSeries") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  BookingSeries,
  never,
  Bookings | SeriesRepo | OrgRepo | Transactor | AuditLog | Outbox.Outbox | Ids
> = Layer.effect(
  BookingSeries,
  Effect.gen(function* () {
    const deps = yield* Steps.make
    const visible = Steps.visible(deps)
    return BookingSeries.of({
      create: Effect.fn("BookingSeries.create")(Steps.create(deps)),
      get: Effect.fn("BookingSeries.get")((id: string) => visible(id)),
      cancelFrom: Effect.fn("BookingSeries.cancelFrom")(Steps.cancelFrom(deps))
    })
  })
)
