/**
 * The bookings use case: requests for units (or any free unit of a resource) held in the time
 * ledger, approval, check-out, return with late fines, and the overdue scan. The rules are in
 * `BookingRules`, the claiming of units in `UnitClaims`; this service orders the steps inside
 * one transaction per write.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Option } from "effect"
import { OrgRepo } from "../identity/IdentityRepos.ts"
import * as OrgSettings from "../identity/OrgSettings.ts"
import { ResourceRepo, UnitRepo, unitsOf } from "../inventory/InventoryRepos.ts"
import type { ResourceId } from "../inventory/Resource.ts"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import {
  type Conflict,
  type Forbidden,
  type InvalidTransition,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  type ValidationFailed
} from "../kernel/Errors.ts"
import { type Ids, nextId, type OrgId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import type { Page } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import type { ListQuery } from "../kernel/Records.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { check, demand, type Expected } from "../kernel/Versioning.ts"
import * as FreedTime from "../ledger/FreedTime.ts"
import type * as Interval from "../ledger/Interval.ts"
import { Ledger } from "../ledger/Ledger.ts"
import * as Availability from "./Availability.ts"
import { type Booking, type BookingFilters, BookingId, type BookingSort } from "./Booking.ts"
import { type NotBookable, UnitNotReturned } from "./BookingErrors.ts"
import * as Lifecycle from "./BookingLifecycle.ts"
import { type BookingChanges, BookingRepo, FineRepo } from "./BookingRepos.ts"
import * as Rules from "./BookingRules.ts"
import { FineId } from "./Fine.ts"
import * as Overdue from "./Overdue.ts"
import { claimItems } from "./UnitClaims.ts"

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
    const bookings = yield* BookingRepo
    const fines = yield* FineRepo
    const units = yield* UnitRepo
    const resources = yield* ResourceRepo
    const orgs = yield* OrgRepo
    const ledger = yield* Ledger
    const freedTime = yield* FreedTime.FreedTime
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids | UnitRepo | ResourceRepo | Ledger>()

    const settingsOf = (orgId: OrgId) => OrgSettings.settingsOf(orgs, orgId)

    const record = (action: Audit.AuditAction, before: Booking | null, after: Booking, topic: string) =>
      Effect.andThen(
        Audit.record({ entityType: "booking", entityId: after.id, action, before, after }),
        Outbox.send({ orgId: after.orgId, topic, payload: Rules.eventPayload(after) })
      )

    // A booking the caller may see; any other is not found.
    const visible = (booking: Option.Option<Booking>, id: string) =>
      Effect.flatMap(Effect.service(CurrentActor), (actor) =>
        Option.isSome(booking) && Rules.canSee(booking.value, actor)
          ? Effect.succeed(booking.value)
          : Effect.fail(new NotFound({ entity: "booking", id }))
      )

    // The freed time goes to the best waiting request, in the transaction that freed it.
    const free = (booking: Booking) =>
      freedTime.freed(booking.orgId, FreedTime.units(booking.items.map((item) => item.unitId)))

    // Loads a booking for a change under its row lock: rights, then existence, then version.
    const forChange = Effect.fnUntraced(function* (
      id: string,
      expectedVersion: Expected,
      rights: Rules.Rights
    ) {
      if (rights.kind === "permission") yield* Permissions.require(rights.permission)
      const actor = yield* CurrentActor
      const booking = yield* visible(yield* bookings.find(actor.orgId, id, { forUpdate: true }), id)
      if (rights.kind === "ownOr" && booking.requesterId !== actor.accountId)
        yield* Permissions.require(rights.permission)
      yield* check("booking", id, booking.version, yield* demand("booking", expectedVersion))
      return booking
    })

    // One state change: lock, check rights and version, apply the lifecycle, write, record.
    const transition = <E, R>(
      id: string,
      expectedVersion: Expected,
      action: Lifecycle.Action,
      rights: Rules.Rights,
      changes: (booking: Booking, at: DateTime.Utc) => Effect.Effect<BookingChanges, E, R>,
      after?: (before: Booking, after: Booking) => Effect.Effect<void, never, R>
    ) =>
      transactor
        .withTransaction(
          Effect.gen(function* () {
            const before = yield* forChange(id, expectedVersion, rights)
            const status = yield* Lifecycle.apply(before.status, action)
            const extra = yield* changes(before, yield* DateTime.now)
            const updated = yield* bookings.update(before.orgId, id, { ...extra, status })
            if (!Lifecycle.isActive(status)) {
              yield* ledger.release(before.orgId, Rules.sourceOf(id))
              yield* free(before)
            }
            if (after !== undefined) yield* after(before, updated)
            yield* record("STATUS_CHANGE", before, updated, `booking.${status.toLowerCase()}`)
            return updated
          })
        )
        .pipe(Effect.provide(context))

    const create = Effect.fn("Bookings.create")(function* (input: Rules.NewBooking) {
      yield* Permissions.require("booking.create")
      const actor = yield* CurrentActor
      const interval = { startAt: input.startAt, endAt: input.endAt }
      const problem = Rules.intervalProblem(interval, yield* DateTime.now)
      if (problem !== undefined) return yield* problem
      const approved = Rules.autoApproves(yield* settingsOf(actor.orgId), actor.role)
      return yield* transactor.withTransaction(
        Effect.gen(function* () {
          const id = yield* nextId(BookingId)
          const items = yield* claimItems(id, input.items, interval)
          const at = yield* DateTime.now
          const booking = yield* bookings.insert(Rules.newBooking({ id, actor, input, items, approved, at }))
          yield* record("CREATE", null, booking, "booking.created")
          return booking
        })
      )
    }, Effect.provide(context))

    const list = Effect.fn("Bookings.list")(function* (query: ListQuery<BookingFilters, BookingSort>) {
      yield* Permissions.require("booking.create")
      const actor = yield* CurrentActor
      const own = !Permissions.allows(actor, "booking.read_all")
      return yield* bookings.list(actor.orgId, {
        ...query,
        filters: own ? { ...query.filters, requesterId: actor.accountId } : query.filters
      })
    })

    const get = Effect.fn("Bookings.get")(function* (id: string) {
      yield* Permissions.require("booking.create")
      const actor = yield* CurrentActor
      return yield* visible(yield* bookings.find(actor.orgId, id), id)
    })

    const update = Effect.fn("Bookings.update")(function* (
      id: string,
      expectedVersion: Expected,
      edit: Rules.BookingEdit
    ) {
      return yield* transactor.withTransaction(
        Effect.gen(function* () {
          const before = yield* forChange(id, expectedVersion, Rules.ownOr("booking.manage"))
          yield* Lifecycle.apply(before.status, "edit")
          const { interval, moved } = Rules.editedInterval(before, edit)
          const problem = moved ? Rules.intervalProblem(interval, yield* DateTime.now) : undefined
          if (problem !== undefined) return yield* problem
          let items: ReadonlyArray<Booking["items"][number]> | undefined
          if (edit.items !== undefined || moved) {
            // The old claims go and the new ones are checked against everyone else's.
            yield* ledger.release(before.orgId, Rules.sourceOf(id))
            items = yield* claimItems(
              id,
              edit.items ?? before.items.map(({ unitId }) => ({ unitId })),
              interval
            )
          }
          const after = yield* bookings.update(before.orgId, id, {
            startAt: interval.startAt,
            endAt: interval.endAt,
            ...(edit.purpose === undefined ? {} : { purpose: edit.purpose }),
            ...(items === undefined ? {} : { items })
          })
          if (items !== undefined) yield* free(before)
          yield* record("UPDATE", before, after, "booking.updated")
          return after
        })
      )
    }, Effect.provide(context))

    const approve = Effect.fn("Bookings.approve")((id: string, expectedVersion: Expected) =>
      transition(id, expectedVersion, "approve", Rules.needs("booking.approve"), (_, at) =>
        Effect.map(Effect.service(CurrentActor), (actor) => ({ approvedBy: actor.accountId, approvedAt: at }))
      )
    )

    const reject = Effect.fn("Bookings.reject")((id: string, expectedVersion: Expected) =>
      transition(id, expectedVersion, "reject", Rules.needs("booking.approve"), () => Effect.succeed({}))
    )

    const cancel = Effect.fn("Bookings.cancel")((id: string, expectedVersion: Expected) =>
      transition(id, expectedVersion, "cancel", Rules.ownOr("booking.manage"), (_, at) =>
        Effect.succeed({ cancelledAt: at })
      )
    )

    // A unit still out with an earlier booking cannot be checked out again.
    const notHeldElsewhere = Effect.fnUntraced(function* (booking: Booking, at: DateTime.Utc) {
      const unitIds = booking.items.map((item) => item.unitId)
      const held = yield* bookings.holdingUnits(booking.orgId, unitIds, booking.id)
      if (held.length > 0) return yield* new UnitNotReturned({ unitIds: held.map((entry) => entry.unitId) })
      return { checkedOutAt: at }
    })

    const checkOut = Effect.fn("Bookings.checkOut")((id: string, expectedVersion: Expected) =>
      transition(id, expectedVersion, "checkOut", Rules.needs("booking.manage"), notHeldElsewhere)
    )

    // A late return creates its fine in the return's transaction.
    const fineLateReturn = Effect.fnUntraced(function* (returned: Booking) {
      const settings = yield* settingsOf(returned.orgId)
      const fine = Rules.lateFine(returned, settings, yield* nextId(FineId), yield* DateTime.now)
      if (fine === undefined) return
      yield* fines.insert(fine)
      yield* Audit.record({ entityType: "fine", entityId: fine.id, action: "CREATE", after: fine })
      yield* Outbox.send({ orgId: fine.orgId, topic: "fine.created", payload: Rules.finePayload(fine) })
    })

    const returnBooking = Effect.fn("Bookings.return")((id: string, expectedVersion: Expected) =>
      transition(
        id,
        expectedVersion,
        "return",
        Rules.needs("booking.manage"),
        (booking, at) =>
          Effect.map(settingsOf(booking.orgId), (settings) => Rules.returnedAt(booking, at, settings)),
        (_, returned) => fineLateReturn(returned).pipe(Effect.provide(context))
      )
    )

    const availability = Effect.fn("Bookings.availability")(function* (
      resourceId: ResourceId,
      window: Interval.Interval
    ) {
      yield* Permissions.require("inventory.read")
      const problem = Rules.windowProblem(window)
      if (problem !== undefined) return yield* problem
      const actor = yield* CurrentActor
      const resource = yield* resources.find(actor.orgId, resourceId)
      if (Option.isNone(resource)) return yield* new NotFound({ entity: "resource", id: resourceId })
      const all = yield* unitsOf(units, actor.orgId, resourceId)
      const subjects = all.map((unit) => ({ type: "unit" as const, id: unit.id }))
      return Availability.availabilityOf(
        resource.value,
        all,
        yield* ledger.activeFor(actor.orgId, subjects, window),
        window
      )
    })

    const markOverdue = Overdue.markOverdue.pipe(
      Effect.provide(context),
      Effect.provideService(BookingRepo, bookings),
      Effect.provideService(Transactor, transactor)
    )

    return Bookings.of({
      create,
      list,
      get,
      update,
      approve,
      reject,
      cancel,
      checkOut,
      return: returnBooking,
      availability,
      markOverdue
    })
  })
)
