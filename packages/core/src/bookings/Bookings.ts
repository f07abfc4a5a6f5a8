/**
 * The bookings use case: requests for units (or any free unit of a resource) held in the time
 * ledger, approval, check-out, return with late fines, and the overdue scan. The rules are in
 * `BookingRules`, the claiming of units in `UnitClaims`; this service orders the steps inside
 * one transaction per write.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { OrgRepo } from "../identity/IdentityRepos.ts"
import type { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { ResourceId } from "../inventory/Resource.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type {
  Conflict,
  Forbidden,
  InvalidTransition,
  NotFound,
  PreconditionFailed,
  PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page } from "../kernel/Pagination.ts"
import type { ListQuery } from "../kernel/Records.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import type * as FreedTime from "../ledger/FreedTime.ts"
import type * as Interval from "../ledger/Interval.ts"
import type { Ledger } from "../ledger/Ledger.ts"
import type * as Availability from "./Availability.ts"
import type { Booking, BookingFilters, BookingSort } from "./Booking.ts"
import * as BookingDeps from "./BookingDeps.ts"
import type { NotBookable, UnitNotReturned } from "./BookingErrors.ts"
import * as Reads from "./BookingReads.ts"
import { BookingRepo, type FineRepo } from "./BookingRepos.ts"
import * as Requests from "./BookingRequests.ts"
import type * as Rules from "./BookingRules.ts"
import * as Transitions from "./BookingTransitions.ts"
import * as Overdue from "./Overdue.ts"
import type { BookingSeriesId } from "./Series.ts"

export type {
  /** @since 0.1.0 */
  Availability,
  /** @since 0.1.0 */
  UnitAvailability
} from "./Availability.ts"
export type {
  /** @since 0.1.0 */
  BookingEdit,
  /** @since 0.1.0 */
  NewBooking
} from "./BookingRules.ts"

type Lookup = Forbidden | NotFound
type Write = Lookup | PreconditionRequired | PreconditionFailed | InvalidTransition

/**
 * @since 0.1.0
 * @category services
 */
export class Bookings extends Context.Service<
  Bookings,
  {
    /** PENDING, or APPROVED at once when the org's policy auto-approves the requester's role. */
    readonly create: (
      input: Rules.NewBooking
    ) => Effect.Effect<
      Booking,
      Forbidden | NotFound | ValidationFailed | NotBookable | Conflict,
      CurrentActor
    >
    /**
     * `create` for an occurrence of a series: its message names the series, whose own message
     * tells approvers of the whole series at once. For the booking series use case.
     */
    readonly createInSeries: (
      input: Rules.NewBooking,
      seriesId: BookingSeriesId
    ) => Effect.Effect<
      Booking,
      Forbidden | NotFound | ValidationFailed | NotBookable | Conflict,
      CurrentActor
    >
    /** Members see their own bookings only; managers see all. */
    readonly list: (
      query: ListQuery<BookingFilters, BookingSort>
    ) => Effect.Effect<Page<Booking>, Forbidden | ValidationFailed, CurrentActor>
    /** Another member's booking is `NotFound` to a member. */
    readonly get: (id: string) => Effect.Effect<Booking, Lookup, CurrentActor>
    readonly update: (
      id: string,
      expectedVersion: Expected,
      edit: Rules.BookingEdit
    ) => Effect.Effect<Booking, Write | ValidationFailed | NotBookable | Conflict, CurrentActor>
    readonly approve: (id: string, expectedVersion: Expected) => Effect.Effect<Booking, Write, CurrentActor>
    readonly reject: (id: string, expectedVersion: Expected) => Effect.Effect<Booking, Write, CurrentActor>
    readonly cancel: (id: string, expectedVersion: Expected) => Effect.Effect<Booking, Write, CurrentActor>
    readonly checkOut: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<Booking, Write | UnitNotReturned, CurrentActor>
    /** A return later than the grace period records `lateMinutes` and creates a fine. */
    readonly return: (id: string, expectedVersion: Expected) => Effect.Effect<Booking, Write, CurrentActor>
    readonly availability: (
      resourceId: ResourceId,
      window: Interval.Interval
    ) => Effect.Effect<Availability.Availability, Forbidden | NotFound | ValidationFailed, CurrentActor>
    /** Marks checked-out bookings past their end OVERDUE; answers how many. Run by the scheduler. */
    readonly markOverdue: Effect.Effect<number>
  }
>()("@rota/core/bookings/Bookings") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Bookings,
  never,
  | BookingRepo
  | FineRepo
  | UnitRepo
  | ResourceRepo
  | OrgRepo
  | Ledger
  | FreedTime.FreedTime
  | Transactor
  | AuditLog
  | Outbox.Outbox
  | Ids
> = Layer.effect(
  Bookings,
  Effect.gen(function* () {
    const deps = yield* BookingDeps.make
    const create = Requests.create(deps)
    return Bookings.of({
      create: Effect.fn("Bookings.create")((input: Rules.NewBooking) => create(input)),
      createInSeries: Effect.fn("Bookings.createInSeries")(create),
      list: Effect.fn("Bookings.list")(Reads.list(deps)),
      get: Effect.fn("Bookings.get")(Reads.get(deps)),
      update: Effect.fn("Bookings.update")(Requests.update(deps)),
      approve: Effect.fn("Bookings.approve")(Transitions.approve(deps)),
      reject: Effect.fn("Bookings.reject")(Transitions.reject(deps)),
      cancel: Effect.fn("Bookings.cancel")(Transitions.cancel(deps)),
      checkOut: Effect.fn("Bookings.checkOut")(Transitions.checkOut(deps)),
      return: Effect.fn("Bookings.return")(Transitions.returnBooking(deps)),
      availability: Effect.fn("Bookings.availability")(Reads.availability(deps)),
      markOverdue: Overdue.markOverdue.pipe(
        Effect.provide(deps.context),
        Effect.provideService(BookingRepo, deps.bookings),
        Effect.provideService(Transactor, deps.transactor)
      )
    })
  })
)
