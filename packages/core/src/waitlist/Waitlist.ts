/**
 * The waitlist use case: joining when nothing is free, ranked listings, accepting or declining
 * an offer, and staff arbitration (offer a chosen unit or interval, refuse, force expiry).
 *
 * @since 0.1.0
 */
import { Clock, Context, DateTime, Effect, Layer, Option, Schema } from "effect"
import * as Audit from "../Audit.ts"
import type { AuditLog } from "../AuditLog.ts"
import type { NotBookable } from "../bookings/BookingErrors.ts"
import { Bookings } from "../bookings/Bookings.ts"
import {
  type Conflict,
  type Forbidden,
  type InvalidTransition,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  ValidationFailed
} from "../Errors.ts"
import { type Ids, nextId, type OrgId, Uuid } from "../Ids.ts"
import { OrgRepo } from "../identity/IdentityRepos.ts"
import * as OrgSettings from "../identity/OrgSettings.ts"
import * as Permissions from "../identity/Permissions.ts"
import type { ResourceId } from "../inventory/Resource.ts"
import type { UnitId } from "../inventory/ResourceUnit.ts"
import type { Interval } from "../ledger/Interval.ts"
import { Ledger } from "../ledger/Ledger.ts"
import type * as Outbox from "../Outbox.ts"
import { invalidCursor, maxCursorLength } from "../Pagination.ts"
import { CurrentActor } from "../RequestContext.ts"
import { Transactor } from "../Transactor.ts"
import { check, demand, type Expected } from "../Versioning.ts"
import { holdOf, Offers } from "./Offers.ts"
import * as Priority from "./Priority.ts"
import {
  offeredInterval,
  type RankedEntry,
  WaitlistEntry,
  WaitlistEntryId,
  type WaitlistFilters
} from "./WaitlistEntry.ts"
import { apply } from "./WaitlistLifecycle.ts"
import { WaitlistRepo } from "./WaitlistRepo.ts"

/**
 * A unit of the resource is free for the whole interval: book it instead of waiting.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnitAvailable extends Schema.TaggedError<UnitAvailable>()("UnitAvailable", {
  unitIds: Schema.Array(Schema.String)
}) {}

/**
 * @since 0.1.0
 * @category models
 */
export interface Join {
  readonly resourceId: ResourceId
  readonly startAt: DateTime.Utc
  readonly endAt: DateTime.Utc
  readonly purpose: string
}

/**
 * What staff may offer: a chosen unit, another interval, or both.
 *
 * @since 0.1.0
 * @category models
 */
export interface StaffOffer {
  readonly unitId?: UnitId | undefined
  readonly startAt?: DateTime.Utc | undefined
  readonly endAt?: DateTime.Utc | undefined
}

type Step = Forbidden | NotFound | PreconditionRequired | PreconditionFailed | InvalidTransition

/**
 * @since 0.1.0
 * @category services
 */
export class Waitlist extends Context.Service<
  Waitlist,
  {
    readonly join: (
      input: Join
    ) => Effect.Effect<WaitlistEntry, Forbidden | NotFound | ValidationFailed | UnitAvailable, CurrentActor>
    /**
     * Managers: entries ranked by live score within their resource; WAITING ones unless
     * `statuses` says otherwise.
     */
    readonly list: (
      filters: WaitlistFilters,
      page: { readonly limit: number; readonly cursor?: string | undefined }
    ) => Effect.Effect<
      { readonly items: ReadonlyArray<RankedEntry>; readonly nextCursor: string | null },
      Forbidden | ValidationFailed,
      CurrentActor
    >
    /** The caller's own entries, with their rank in their resource's line. */
    readonly mine: (
      filters: WaitlistFilters,
      page: { readonly limit: number; readonly cursor?: string | undefined }
    ) => Effect.Effect<
      { readonly items: ReadonlyArray<RankedEntry>; readonly nextCursor: string | null },
      Forbidden | ValidationFailed,
      CurrentActor
    >
    /** The caller's own entry, or any for staff; another member's is not found. */
    readonly get: (id: string) => Effect.Effect<WaitlistEntry, Forbidden | NotFound, CurrentActor>
    /** The hold becomes a booking, in one transaction. */
    readonly accept: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<WaitlistEntry, Step | ValidationFailed | Conflict | NotBookable, CurrentActor>
    readonly decline: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<WaitlistEntry, Step, CurrentActor>
    readonly cancel: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<WaitlistEntry, Step, CurrentActor>
    readonly expire: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<WaitlistEntry, Step, CurrentActor>
    readonly refuse: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<WaitlistEntry, Step, CurrentActor>
    readonly offer: (
      id: string,
      expectedVersion: Expected,
      proposal: StaffOffer
    ) => Effect.Effect<WaitlistEntry, Step | ValidationFailed | Conflict, CurrentActor>
  }
>()("@rota/core/waitlist/Waitlist") {}

// Pages of a ranked listing: the cursor names the last resource and rank seen. Both reach SQL,
// so a forged one must not carry a malformed id or a rank beyond an integer column's range.
const CursorSchema = Schema.Tuple([
  Uuid,
  Schema.Int.pipe(Schema.check(Schema.isBetween({ minimum: 0, maximum: 2_000_000_000 })))
])
const encodeCursor = (resourceId: string, rank: number) =>
  globalThis.btoa(JSON.stringify([resourceId, rank])).replace(/=+$/, "")
const decodePosition = Schema.decodeUnknownOption(CursorSchema)
const parse = (cursor: string): unknown => {
  try {
    return JSON.parse(globalThis.atob(cursor))
  } catch {
    return undefined
  }
}
const decodeCursor = (cursor: string) => {
  const position = cursor.length > maxCursorLength ? Option.none() : decodePosition(parse(cursor))
  return Option.isSome(position)
    ? Effect.succeed({ resourceId: position.value[0], rank: position.value[1] })
    : Effect.fail(invalidCursor())
}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Waitlist,
  never,
  WaitlistRepo | Offers | Bookings | Ledger | OrgRepo | Transactor | AuditLog | Outbox.Outbox | Ids
> = Layer.effect(
  Waitlist,
  Effect.gen(function* () {
    const repo = yield* WaitlistRepo
    const offers = yield* Offers
    const bookings = yield* Bookings
    const ledger = yield* Ledger
    const orgs = yield* OrgRepo
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    const settingsOf = (orgId: OrgId) => OrgSettings.settingsOf(orgs, orgId)
    const nowMillis = Clock.currentTimeMillis

    // The caller's own entry, or any entry for staff; another member's is not found.
    const locked = (id: string, expectedVersion: Expected, staff: boolean) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const found = yield* repo.find(actor.orgId, id, { forUpdate: true })
        const mayManage = Permissions.allows(actor.role, "waitlist.manage")
        if (Option.isNone(found) || (!mayManage && found.value.requesterId !== actor.accountId))
          return yield* new NotFound({ entity: "waitlist_entry", id })
        if (staff && !mayManage) yield* Permissions.require("waitlist.manage")
        const version = yield* demand("waitlist_entry", expectedVersion)
        yield* check("waitlist_entry", id, found.value.version, version)
        return found.value
      })

    const ranked = (
      filters: WaitlistFilters,
      page: { readonly limit: number; readonly cursor?: string | undefined }
    ) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const settings = yield* settingsOf(actor.orgId)
        const after = page.cursor === undefined ? undefined : yield* decodeCursor(page.cursor)
        const rows = yield* repo.ranked(actor.orgId, {
          filters,
          weights: settings.priorityWeights,
          now: new Date(yield* nowMillis),
          limit: page.limit + 1,
          after
        })
        const items = rows.slice(0, page.limit)
        const last = items[items.length - 1]
        return {
          items,
          nextCursor:
            rows.length > page.limit && last !== undefined
              ? encodeCursor(last.entry.resourceId, last.rank)
              : null
        }
      })

    const join = (input: Join) =>
      Effect.gen(function* () {
        yield* Permissions.require("booking.create")
        const actor = yield* CurrentActor
        const window: Interval = { startAt: input.startAt, endAt: input.endAt }
        if (DateTime.toEpochMillis(input.endAt) <= DateTime.toEpochMillis(input.startAt))
          return yield* new ValidationFailed({
            errors: [{ path: ["body", "endAt"], message: "must be after startAt" }]
          })
        if (DateTime.toEpochMillis(input.startAt) <= (yield* nowMillis))
          return yield* new ValidationFailed({
            errors: [{ path: ["body", "startAt"], message: "must be in the future" }]
          })
        const availability = yield* bookings.availability(input.resourceId, window)
        if (availability.freeUnitIds.length > 0)
          return yield* new UnitAvailable({ unitIds: availability.freeUnitIds })
        const settings = yield* settingsOf(actor.orgId)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const at = yield* nowMillis
            const entry = yield* repo.insert(
              new WaitlistEntry({
                id: yield* nextId(WaitlistEntryId),
                orgId: actor.orgId,
                requesterId: actor.accountId,
                resourceId: input.resourceId,
                startAt: input.startAt,
                endAt: input.endAt,
                purpose: input.purpose,
                priorityScore: 0,
                status: "WAITING",
                offeredUnitId: null,
                offerStartAt: null,
                offerEndAt: null,
                offerExpiresAt: null,
                bookingId: null,
                version: 1,
                createdAt: DateTime.makeUnsafe(at)
              })
            )
            // The score at creation, counted as the ranking counts.
            const parts = yield* repo.scoreOf(actor.orgId, entry.id, settings.priorityWeights, new Date(at))
            const stored = yield* repo.update(actor.orgId, entry.id, {
              priorityScore: Option.match(parts, { onNone: () => 0, onSome: Priority.total })
            })
            yield* Audit.record({
              entityType: "waitlist_entry",
              entityId: entry.id,
              action: "CREATE",
              after: stored
            })
            return stored
          })
        )
      }).pipe(Effect.provide(context))

    const accept = (id: string, expectedVersion: Expected) =>
      transactor
        .withTransaction(
          Effect.gen(function* () {
            const entry = yield* locked(id, expectedVersion, false)
            const status = yield* apply(entry.status, "accept")
            const unitId = entry.offeredUnitId!
            // The hold and the booking swap in one transaction: nobody can take the unit between.
            yield* ledger.release(entry.orgId, holdOf(entry.id))
            const interval = offeredInterval(entry)
            const booking = yield* bookings.create({
              startAt: interval.startAt,
              endAt: interval.endAt,
              purpose: entry.purpose,
              items: [{ unitId }]
            })
            const after = yield* repo.update(entry.orgId, entry.id, { status, bookingId: booking.id })
            yield* Audit.record({
              entityType: "waitlist_entry",
              entityId: entry.id,
              action: "STATUS_CHANGE",
              before: entry,
              after
            })
            return after
          })
        )
        .pipe(Effect.provide(context))

    const closeAs =
      (
        action: "decline" | "cancel" | "expire" | "refuse",
        staff: boolean,
        permission?: Permissions.Permission
      ) =>
      (id: string, expectedVersion: Expected) =>
        Effect.gen(function* () {
          if (permission !== undefined) yield* Permissions.require(permission)
          const actor = yield* CurrentActor
          return yield* transactor.withTransaction(
            Effect.gen(function* () {
              const entry = yield* locked(id, expectedVersion, staff)
              return yield* offers.close(entry, action, actor.accountId)
            })
          )
        }).pipe(Effect.provide(context))

    const offer = (id: string, expectedVersion: Expected, proposal: StaffOffer) =>
      Effect.gen(function* () {
        yield* Permissions.require("waitlist.manage")
        const actor = yield* CurrentActor
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const entry = yield* locked(id, expectedVersion, true)
            yield* apply(entry.status, "offer")
            const interval: Interval = {
              startAt: proposal.startAt ?? entry.startAt,
              endAt: proposal.endAt ?? entry.endAt
            }
            if (DateTime.toEpochMillis(interval.endAt) <= DateTime.toEpochMillis(interval.startAt))
              return yield* new ValidationFailed({
                errors: [{ path: ["body", "endAt"], message: "must be after startAt" }]
              })
            const availability = yield* bookings.availability(entry.resourceId, interval)
            const unitId = proposal.unitId ?? availability.freeUnitIds[0]
            const known = availability.units.find((unit) => unit.unitId === unitId)
            if (unitId === undefined || known === undefined || !known.bookable) {
              return yield* new ValidationFailed({
                errors: [
                  { path: ["body", "unitId"], message: "No bookable unit of this resource is free then" }
                ]
              })
            }
            return yield* offers.offer(entry, unitId, interval, actor.accountId)
          })
        )
      }).pipe(Effect.provide(context))

    const get = (id: string) =>
      Effect.gen(function* () {
        yield* Permissions.require("booking.create")
        const actor = yield* CurrentActor
        const found = yield* repo.find(actor.orgId, id)
        if (
          Option.isNone(found) ||
          (found.value.requesterId !== actor.accountId && !Permissions.allows(actor.role, "waitlist.manage"))
        )
          return yield* new NotFound({ entity: "waitlist_entry", id })
        return found.value
      })

    return Waitlist.of({
      join,
      get,
      list: (filters, page) =>
        Effect.gen(function* () {
          yield* Permissions.require("waitlist.manage")
          // Without a status, the line itself: who is waiting, in the order offers go.
          return yield* ranked({ ...filters, statuses: filters.statuses ?? ["WAITING"] }, page)
        }),
      mine: (filters, page) =>
        Effect.gen(function* () {
          yield* Permissions.require("booking.create")
          const actor = yield* CurrentActor
          return yield* ranked({ ...filters, requesterId: actor.accountId }, page)
        }),
      accept,
      decline: closeAs("decline", false),
      cancel: closeAs("cancel", false),
      expire: closeAs("expire", true, "waitlist.expire"),
      refuse: closeAs("refuse", true, "waitlist.manage"),
      offer
    })
  })
)
