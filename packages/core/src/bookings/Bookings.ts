/**
 * The bookings use case: requests for units (or any free unit of a resource) held in the time
 * ledger, approval, check-out, return with late fines, and the overdue scan.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Option } from "effect"
import * as Audit from "../Audit.ts"
import type { AuditLog } from "../AuditLog.ts"
import {
  type Conflict,
  type Forbidden,
  type InvalidTransition,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  ValidationFailed
} from "../Errors.ts"
import { type Ids, nextId, type OrgId } from "../Ids.ts"
import { OrgRepo } from "../identity/IdentityRepos.ts"
import type { Settings } from "../identity/Organization.ts"
import * as OrgSettings from "../identity/OrgSettings.ts"
import * as Permissions from "../identity/Permissions.ts"
import { ResourceRepo, UnitRepo, unitsOf } from "../inventory/InventoryRepos.ts"
import type { Resource, ResourceId } from "../inventory/Resource.ts"
import type { ResourceUnit, UnitId } from "../inventory/ResourceUnit.ts"
import { isBookable } from "../inventory/ResourceUnit.ts"
import * as Interval from "../ledger/Interval.ts"
import { type Claim, clashesWith, conflictOf, Ledger, type Source } from "../ledger/Ledger.ts"
import * as Outbox from "../Outbox.ts"
import type { Page } from "../Pagination.ts"
import type { ListQuery } from "../Records.ts"
import { CurrentActor } from "../RequestContext.ts"
import { Transactor } from "../Transactor.ts"
import { check, demand, type Expected } from "../Versioning.ts"
import { Offers } from "../waitlist/Offers.ts"
import {
  Booking,
  type BookingFilters,
  BookingId,
  type BookingItem,
  type BookingSort,
  type BookingStatus,
  type RequestedItem
} from "./Booking.ts"
import { NotBookable, UnitNotReturned } from "./BookingErrors.ts"
import * as Lifecycle from "./BookingLifecycle.ts"
import { type BookingChanges, BookingRepo, FineRepo } from "./BookingRepos.ts"
import { Fine, FineId } from "./Fine.ts"
import * as Lateness from "./Lateness.ts"

/**
 * A booking request.
 *
 * @since 0.1.0
 * @category models
 */
export interface NewBooking {
  readonly startAt: DateTime.Utc
  readonly endAt: DateTime.Utc
  readonly purpose: string
  readonly items: ReadonlyArray<RequestedItem>
}

/**
 * What a PATCH may change while the booking is PENDING or APPROVED.
 *
 * @since 0.1.0
 * @category models
 */
export interface BookingEdit {
  readonly startAt?: DateTime.Utc | undefined
  readonly endAt?: DateTime.Utc | undefined
  readonly purpose?: string | undefined
  readonly items?: ReadonlyArray<RequestedItem> | undefined
}

/**
 * One unit's time in a window: when it is taken and when it is free.
 *
 * @since 0.1.0
 * @category models
 */
export interface UnitAvailability {
  readonly unitId: UnitId
  readonly barcode: string
  readonly status: ResourceUnit["status"]
  readonly bookable: boolean
  readonly busy: ReadonlyArray<Interval.Interval>
  readonly free: ReadonlyArray<Interval.Interval>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface Availability {
  readonly resourceId: ResourceId
  readonly window: Interval.Interval
  /** Bookable units free for the whole window. */
  readonly freeUnitIds: ReadonlyArray<UnitId>
  readonly units: ReadonlyArray<UnitAvailability>
}

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
      input: NewBooking
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
      edit: BookingEdit
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
    ) => Effect.Effect<Availability, Forbidden | NotFound | ValidationFailed, CurrentActor>
    /** Marks checked-out bookings past their end OVERDUE; answers how many. Run by the scheduler. */
    readonly markOverdue: Effect.Effect<number>
  }
>()("@rota/core/bookings/Bookings") {}

const sourceOf = (id: string): Source => ({ type: "booking", id })

const claimsFor = (
  id: string,
  items: ReadonlyArray<BookingItem>,
  interval: Interval.Interval
): Array<Claim> =>
  items.map((item) => ({ subject: { type: "unit", id: item.unitId }, interval, source: sourceOf(id) }))

const invalid = (field: string, message: string) =>
  new ValidationFailed({ errors: [{ path: ["body", field], message }] })

// end > start, and a new or moved booking starts in the future.
const checkInterval = (interval: Interval.Interval, at: DateTime.Utc) =>
  DateTime.toEpochMillis(interval.endAt) <= DateTime.toEpochMillis(interval.startAt)
    ? Effect.fail(invalid("endAt", "must be after startAt"))
    : DateTime.toEpochMillis(interval.startAt) <= DateTime.toEpochMillis(at)
      ? Effect.fail(invalid("startAt", "must be in the future"))
      : Effect.void

const autoApproves = (settings: Settings, role: CurrentActor["Service"]["role"]): boolean =>
  Permissions.allows(role, "booking.approve") ||
  (role === "member" ? settings.autoApprove.member : role === "technician" && settings.autoApprove.technician)

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
  | Offers
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
    const offers = yield* Offers
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    const settingsOf = (orgId: OrgId) => OrgSettings.settingsOf(orgs, orgId)

    const record = (action: Audit.AuditAction, before: Booking | null, after: Booking, topic: string) =>
      Effect.gen(function* () {
        yield* Audit.record({ entityType: "booking", entityId: after.id, action, before, after })
        yield* Outbox.send({
          orgId: after.orgId,
          topic,
          payload: {
            id: after.id,
            status: after.status,
            requesterId: after.requesterId,
            version: after.version
          }
        })
      })

    // A booking the caller may see: their own, or any with `booking.read_all`.
    const visible = (booking: Option.Option<Booking>, id: string) =>
      Effect.flatMap(Effect.service(CurrentActor), (actor) =>
        Option.isSome(booking) &&
        (booking.value.requesterId === actor.accountId || Permissions.allows(actor.role, "booking.read_all"))
          ? Effect.succeed(booking.value)
          : Effect.fail(new NotFound({ entity: "booking", id }))
      )

    const resourceOf = (unit: ResourceUnit) =>
      Effect.flatMap(Effect.service(CurrentActor), (actor) =>
        resources.find(actor.orgId, unit.resourceId, { includeDeleted: true })
      )

    // The units a request names, checked bookable, then any free unit of each named resource,
    // claimed in the ledger as they are chosen. Runs inside the write's transaction.
    const claimItems = (
      bookingId: string,
      requested: ReadonlyArray<RequestedItem>,
      interval: Interval.Interval
    ) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const chosen: Array<BookingItem> = []
        for (const item of requested) {
          if (!("unitId" in item)) continue
          const unit = yield* units.find(actor.orgId, item.unitId, { includeDeleted: true })
          if (Option.isNone(unit)) return yield* new NotFound({ entity: "unit", id: item.unitId })
          const resource = yield* resourceOf(unit.value)
          if (Option.isNone(resource) || !isBookable(unit.value, resource.value))
            return yield* new NotBookable({
              unitIds: [item.unitId],
              reason: "The unit or its resource is not available"
            })
          chosen.push({ unitId: unit.value.id, resourceId: unit.value.resourceId })
        }
        if (new Set(chosen.map((item) => item.unitId)).size !== chosen.length)
          return yield* invalid("items", "A unit is named twice")
        yield* ledger.claim(actor.orgId, claimsFor(bookingId, chosen, interval))
        for (const item of requested) {
          if (!("resourceId" in item)) continue
          chosen.push(yield* claimAnyUnit(bookingId, item.resourceId, interval, chosen))
        }
        return chosen.sort((a, b) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0))
      })

    // Tries the resource's free units in turn: another request may take one between the look
    // and the claim, and the ledger is what decides.
    const claimAnyUnit = (
      bookingId: string,
      resourceId: ResourceId,
      interval: Interval.Interval,
      taken: ReadonlyArray<BookingItem>
    ): Effect.Effect<BookingItem, NotFound | NotBookable | Conflict, CurrentActor | Ids> =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const resource = yield* resources.find(actor.orgId, resourceId, { includeDeleted: true })
        if (Option.isNone(resource)) return yield* new NotFound({ entity: "resource", id: resourceId })
        const candidates = (yield* bookableUnits(resource.value)).filter(
          (unit) => !taken.some((item) => item.unitId === unit.id)
        )
        if (candidates.length === 0)
          return yield* new NotBookable({ unitIds: [], reason: "The resource has no bookable unit" })
        const busy = yield* ledger.activeFor(
          actor.orgId,
          candidates.map((unit) => ({ type: "unit", id: unit.id })),
          interval
        )
        const free = candidates.filter(
          (unit) => !busy.some((allocation) => allocation.subject.id === unit.id)
        )
        let lastConflict: Conflict | undefined
        for (const unit of free) {
          const item = { unitId: unit.id, resourceId: unit.resourceId }
          const claimed = yield* Effect.result(
            ledger.claim(actor.orgId, claimsFor(bookingId, [item], interval))
          )
          if (claimed._tag === "Success") return item
          lastConflict = claimed.failure
        }
        // Nothing free: the conflict names what holds each unit.
        return yield* lastConflict ??
          conflictOf(
            clashesWith(
              busy,
              candidates.flatMap((unit) => claimsFor(bookingId, [{ unitId: unit.id, resourceId }], interval))
            )
          ) ??
          new NotBookable({ unitIds: [], reason: "The resource has no bookable unit" })
      })

    const bookableUnits = (resource: Resource) =>
      Effect.gen(function* () {
        if (resource.deletedAt !== null || resource.status !== "AVAILABLE") return []
        const all = yield* unitsOf(units, resource.orgId, resource.id)
        return all.filter((unit) => unit.status === "AVAILABLE")
      })

    // Who may change a booking: anyone with a permission (checked before the booking is even
    // looked up), or its requester and anyone with a permission (checked after, since only the
    // booking says who requested it; someone else's booking is 404 to a member).
    type Rights =
      | { readonly kind: "permission"; readonly permission: Permissions.Permission }
      | { readonly kind: "ownOr"; readonly permission: Permissions.Permission }

    const needs = (permission: Permissions.Permission): Rights => ({ kind: "permission", permission })
    const ownOr = (permission: Permissions.Permission): Rights => ({ kind: "ownOr", permission })

    // Loads a booking for a change under its row lock: rights, then existence, then version.
    const forChange = (id: string, expectedVersion: Expected, rights: Rights) =>
      Effect.gen(function* () {
        if (rights.kind === "permission") yield* Permissions.require(rights.permission)
        const actor = yield* CurrentActor
        const booking = yield* visible(yield* bookings.find(actor.orgId, id, { forUpdate: true }), id)
        if (rights.kind === "ownOr" && booking.requesterId !== actor.accountId)
          yield* Permissions.require(rights.permission)
        const version = yield* demand("booking", expectedVersion)
        yield* check("booking", id, booking.version, version)
        return booking
      })

    // One state change: lock, check rights and version, apply the lifecycle, write, record.
    const transition = <E, R>(
      id: string,
      expectedVersion: Expected,
      action: Lifecycle.Action,
      rights: Rights,
      changes: (booking: Booking, at: DateTime.Utc) => Effect.Effect<BookingChanges, E, R>,
      after?: (before: Booking, after: Booking) => Effect.Effect<void, never, R>
    ) =>
      transactor
        .withTransaction(
          Effect.gen(function* () {
            const before = yield* forChange(id, expectedVersion, rights)
            const status = yield* Lifecycle.apply(before.status, action)
            const at = yield* DateTime.now
            const extra = yield* changes(before, at)
            const updated = yield* bookings.update(before.orgId, id, { ...extra, status })
            if (!Lifecycle.isActive(status)) {
              yield* ledger.release(before.orgId, sourceOf(id))
              // The freed time goes to the best waiting request, in this same transaction.
              yield* offers.offerFreed(
                before.orgId,
                before.items.map((item) => item.unitId)
              )
            }
            if (after !== undefined) yield* after(before, updated)
            yield* record("STATUS_CHANGE", before, updated, `booking.${status.toLowerCase()}`)
            return updated
          })
        )
        .pipe(Effect.provide(context))

    const create = (input: NewBooking) =>
      Effect.gen(function* () {
        yield* Permissions.require("booking.create")
        const actor = yield* CurrentActor
        const interval = { startAt: input.startAt, endAt: input.endAt }
        yield* checkInterval(interval, yield* DateTime.now)
        const settings = yield* settingsOf(actor.orgId)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const id = yield* nextId(BookingId)
            const items = yield* claimItems(id, input.items, interval)
            const at = yield* DateTime.now
            const approved = autoApproves(settings, actor.role)
            const booking = yield* bookings.insert(
              new Booking({
                id,
                orgId: actor.orgId,
                requesterId: actor.accountId,
                status: approved ? "APPROVED" : "PENDING",
                startAt: input.startAt,
                endAt: input.endAt,
                purpose: input.purpose,
                items,
                version: 1,
                createdAt: at,
                approvedBy: approved ? actor.accountId : null,
                approvedAt: approved ? at : null,
                cancelledAt: null,
                checkedOutAt: null,
                returnedAt: null,
                lateMinutes: 0
              })
            )
            yield* record("CREATE", null, booking, "booking.created")
            return booking
          })
        )
      }).pipe(Effect.provide(context))

    const list = (query: ListQuery<BookingFilters, BookingSort>) =>
      Effect.gen(function* () {
        yield* Permissions.require("booking.create")
        const actor = yield* CurrentActor
        const own = !Permissions.allows(actor.role, "booking.read_all")
        return yield* bookings.list(actor.orgId, {
          ...query,
          filters: own ? { ...query.filters, requesterId: actor.accountId } : query.filters
        })
      })

    const get = (id: string) =>
      Effect.gen(function* () {
        yield* Permissions.require("booking.create")
        const actor = yield* CurrentActor
        return yield* visible(yield* bookings.find(actor.orgId, id), id)
      })

    const update = (id: string, expectedVersion: Expected, edit: BookingEdit) =>
      transactor
        .withTransaction(
          Effect.gen(function* () {
            const before = yield* forChange(id, expectedVersion, ownOr("booking.manage"))
            yield* Lifecycle.apply(before.status, "edit")
            const interval = { startAt: edit.startAt ?? before.startAt, endAt: edit.endAt ?? before.endAt }
            const moved =
              !DateTime.Equivalence(interval.startAt, before.startAt) ||
              !DateTime.Equivalence(interval.endAt, before.endAt)
            if (moved) yield* checkInterval(interval, yield* DateTime.now)
            let items: ReadonlyArray<BookingItem> | undefined
            if (edit.items !== undefined || moved) {
              // The old claims go and the new ones are checked against everyone else's.
              yield* ledger.release(before.orgId, sourceOf(id))
              const requested: ReadonlyArray<RequestedItem> =
                edit.items ?? before.items.map((item) => ({ unitId: item.unitId }))
              items = yield* claimItems(id, requested, interval)
            }
            const after = yield* bookings.update(before.orgId, id, {
              startAt: interval.startAt,
              endAt: interval.endAt,
              ...(edit.purpose === undefined ? {} : { purpose: edit.purpose }),
              ...(items === undefined ? {} : { items })
            })
            if (items !== undefined) {
              yield* offers.offerFreed(
                before.orgId,
                before.items.map((item) => item.unitId)
              )
            }
            yield* record("UPDATE", before, after, "booking.updated")
            return after
          })
        )
        .pipe(Effect.provide(context))

    const approve = (id: string, expectedVersion: Expected) =>
      transition(id, expectedVersion, "approve", needs("booking.approve"), (_, at) =>
        Effect.map(Effect.service(CurrentActor), (actor) => ({ approvedBy: actor.accountId, approvedAt: at }))
      )

    const reject = (id: string, expectedVersion: Expected) =>
      transition(id, expectedVersion, "reject", needs("booking.approve"), () => Effect.succeed({}))

    const cancel = (id: string, expectedVersion: Expected) =>
      transition(id, expectedVersion, "cancel", ownOr("booking.manage"), (_, at) =>
        Effect.succeed({ cancelledAt: at })
      )

    const checkOut = (id: string, expectedVersion: Expected) =>
      transition(id, expectedVersion, "checkOut", needs("booking.manage"), (booking, at) =>
        Effect.gen(function* () {
          const held = yield* bookings.holdingUnits(
            booking.orgId,
            booking.items.map((item) => item.unitId),
            booking.id
          )
          if (held.length > 0)
            return yield* new UnitNotReturned({ unitIds: held.map((entry) => entry.unitId) })
          return { checkedOutAt: at }
        })
      )

    const returnBooking = (id: string, expectedVersion: Expected) =>
      transition(
        id,
        expectedVersion,
        "return",
        needs("booking.manage"),
        (booking, at) =>
          Effect.map(settingsOf(booking.orgId), (settings) => ({
            returnedAt: at,
            lateMinutes: Lateness.lateMinutes(booking.endAt, at, settings.lateGraceMinutes)
          })),
        (_, returned) =>
          Effect.gen(function* () {
            const settings = yield* settingsOf(returned.orgId)
            const amount = Lateness.fineAmount(returned.lateMinutes, settings.fine.perHourLate)
            if (amount === 0) return
            const fine = yield* fines.insert(
              new Fine({
                id: yield* nextId(FineId),
                orgId: returned.orgId,
                accountId: returned.requesterId,
                bookingId: returned.id,
                amount,
                currency: settings.fine.currency,
                paid: 0,
                reason: `Returned ${returned.lateMinutes} minutes late`,
                status: "OPEN",
                version: 1,
                createdAt: yield* DateTime.now
              })
            )
            yield* Audit.record({ entityType: "fine", entityId: fine.id, action: "CREATE", after: fine })
            yield* Outbox.send({
              orgId: fine.orgId,
              topic: "fine.created",
              payload: {
                id: fine.id,
                accountId: fine.accountId,
                amount: fine.amount,
                currency: fine.currency
              }
            })
          }).pipe(Effect.provide(context))
      )

    const availability = (resourceId: ResourceId, window: Interval.Interval) =>
      Effect.gen(function* () {
        yield* Permissions.require("inventory.read")
        if (DateTime.toEpochMillis(window.endAt) <= DateTime.toEpochMillis(window.startAt))
          return yield* new ValidationFailed({
            errors: [{ path: ["query", "to"], message: "must be after from" }]
          })
        const actor = yield* CurrentActor
        const resource = yield* resources.find(actor.orgId, resourceId)
        if (Option.isNone(resource)) return yield* new NotFound({ entity: "resource", id: resourceId })
        const all = yield* unitsOf(units, actor.orgId, resourceId)
        const busy = yield* ledger.activeFor(
          actor.orgId,
          all.map((unit) => ({ type: "unit", id: unit.id })),
          window
        )
        const perUnit = all.map((unit): UnitAvailability => {
          const taken = busy
            .filter((allocation) => allocation.subject.id === unit.id)
            .map((allocation) => allocation.interval)
          const bookable = isBookable(unit, resource.value)
          return {
            unitId: unit.id,
            barcode: unit.barcode,
            status: unit.status,
            bookable,
            busy: taken,
            free: bookable ? Interval.freeIntervals(taken, window) : []
          }
        })
        return {
          resourceId,
          window,
          freeUnitIds: perUnit
            .filter((unit) => unit.bookable && unit.busy.length === 0)
            .map((unit) => unit.unitId),
          units: perUnit
        }
      })

    // The requesters of the next bookings of a late unit learn it may not be back in time.
    const notifyNextInLine = (late: Booking) =>
      Effect.forEach(
        late.items,
        (item) =>
          Effect.gen(function* () {
            const next = yield* bookings
              .list(late.orgId, {
                limit: 20,
                filters: {
                  unitId: item.unitId,
                  statuses: ["PENDING", "APPROVED"],
                  from: DateTime.toDateUtc(late.endAt)
                }
              })
              .pipe(Effect.orDie)
            for (const booking of next.items) {
              yield* Outbox.send({
                orgId: booking.orgId,
                topic: "booking.unit_not_returned",
                payload: {
                  id: booking.id,
                  requesterId: booking.requesterId,
                  unitId: item.unitId,
                  lateBookingId: late.id
                }
              })
            }
          }),
        { discard: true }
      )

    const markOverdue = transactor
      .withTransaction(
        Effect.gen(function* () {
          const at = yield* DateTime.now
          const due = yield* bookings.lockOverdue(DateTime.toDateUtc(at), 100)
          for (const before of due) {
            const status: BookingStatus = yield* Effect.orDie(Lifecycle.apply(before.status, "markOverdue"))
            const after = yield* bookings.update(before.orgId, before.id, { status })
            // The scheduler acts, not a person.
            yield* Audit.recordAs(
              { orgId: after.orgId, actorId: null },
              { entityType: "booking", entityId: after.id, action: "STATUS_CHANGE", before, after }
            )
            yield* Outbox.send({
              orgId: after.orgId,
              topic: "booking.overdue",
              payload: {
                id: after.id,
                requesterId: after.requesterId,
                endAt: DateTime.formatIso(after.endAt)
              }
            })
            yield* notifyNextInLine(after)
          }
          return due.length
        })
      )
      .pipe(Effect.provide(context))

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
