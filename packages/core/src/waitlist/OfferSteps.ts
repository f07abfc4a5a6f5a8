/**
 * The steps of the offering engine: what it works with, holding a unit for an entry, marking it
 * offered, offering freed units to the best waiting entry that fits, and closing an entry.
 *
 * @since 0.1.0
 */
import { DateTime, Duration, Effect, Option } from "effect"
import { BookingRepo } from "../bookings/BookingRepos.ts"
import { OrgRepo } from "../identity/IdentityRepos.ts"
import * as OrgSettings from "../identity/OrgSettings.ts"
import { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import { isBookable, type UnitId } from "../inventory/ResourceUnit.ts"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { InvalidTransition } from "../kernel/Errors.ts"
import type { AccountId, Ids, OrgId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { Interval } from "../ledger/Interval.ts"
import { Ledger, type Source } from "../ledger/Ledger.ts"
import type { WaitlistEntry } from "./WaitlistEntry.ts"
import { type Action, apply } from "./WaitlistLifecycle.ts"
import { WaitlistRepo } from "./WaitlistRepo.ts"

/**
 * The ledger source of an entry's held unit.
 *
 * @since 0.1.0
 * @category models
 */
export const holdOf = (entryId: string): Source => ({ type: "waitlist_offer", id: entryId })

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    repo: yield* WaitlistRepo,
    ledger: yield* Ledger,
    units: yield* UnitRepo,
    resources: yield* ResourceRepo,
    bookings: yield* BookingRepo,
    orgs: yield* OrgRepo,
    transactor: yield* Transactor,
    context: yield* Effect.context<AuditLog | Outbox.Outbox>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>

/** How an entry ends other than by an offer or its acceptance. */
type Closing = Exclude<Action, "offer" | "accept">

const settingsOf = (deps: Deps, orgId: OrgId) => OrgSettings.settingsOf(deps.orgs, orgId)

const record = (
  deps: Deps,
  actorId: AccountId | null,
  before: WaitlistEntry,
  after: WaitlistEntry,
  topic: string
) =>
  Effect.gen(function* () {
    yield* Audit.recordAs(
      { orgId: after.orgId, actorId },
      { entityType: "waitlist_entry", entityId: after.id, action: "STATUS_CHANGE", before, after }
    )
    yield* Outbox.send({
      orgId: after.orgId,
      topic,
      payload: {
        id: after.id,
        requesterId: after.requesterId,
        status: after.status,
        unitId: after.offeredUnitId,
        expiresAt: after.offerExpiresAt === null ? null : DateTime.formatIso(after.offerExpiresAt)
      }
    })
  }).pipe(Effect.provide(deps.context))

// Marks a locked WAITING entry OFFERED, its unit already held.
const markOffered = (
  deps: Deps,
  entry: WaitlistEntry,
  unitId: UnitId,
  interval: Interval,
  actorId: AccountId | null
) =>
  Effect.gen(function* () {
    const status = yield* apply(entry.status, "offer")
    const settings = yield* settingsOf(deps, entry.orgId)
    const at = yield* DateTime.now
    const own =
      DateTime.Equivalence(interval.startAt, entry.startAt) &&
      DateTime.Equivalence(interval.endAt, entry.endAt)
    const after = yield* deps.repo.update(entry.orgId, entry.id, {
      status,
      offeredUnitId: unitId,
      offerStartAt: own ? null : interval.startAt,
      offerEndAt: own ? null : interval.endAt,
      offerExpiresAt: DateTime.addDuration(at, Duration.minutes(settings.offerTtlMinutes))
    })
    yield* record(deps, actorId, entry, after, "waitlist.offered")
    return after
  })

const hold = (deps: Deps, entry: WaitlistEntry, unitId: UnitId, interval: Interval) =>
  deps.ledger.claim(entry.orgId, [
    { subject: { type: "unit", id: unitId }, interval, source: holdOf(entry.id) }
  ])

/**
 * Holds `unitId` for the entry over `interval` and marks it OFFERED until the org's TTL.
 *
 * @since 0.1.0
 * @category steps
 */
export const offer = (deps: Deps) =>
  Effect.fnUntraced(function* (
    entry: WaitlistEntry,
    unitId: UnitId,
    interval: Interval,
    actorId: AccountId | null
  ) {
    yield* apply(entry.status, "offer")
    yield* hold(deps, entry, unitId, interval)
    return yield* markOffered(deps, entry, unitId, interval, actorId)
  })

// A unit may be offered when it can be booked and is not still out with an earlier booking.
const offerable = (deps: Deps, orgId: OrgId, unitId: UnitId) =>
  Effect.gen(function* () {
    const unit = yield* deps.units.find(orgId, unitId)
    if (Option.isNone(unit)) return Option.none()
    const resource = yield* deps.resources.find(orgId, unit.value.resourceId)
    if (Option.isNone(resource) || !isBookable(unit.value, resource.value)) return Option.none()
    const out = yield* deps.bookings.holdingUnits(orgId, [unitId], "00000000-0000-0000-0000-000000000000")
    return out.length > 0 ? Option.none() : Option.some(unit.value)
  })

/**
 * Offers each freed unit to the best waiting entry it fits; answers how many were offered.
 *
 * @since 0.1.0
 * @category steps
 */
export const offerFreed = (deps: Deps) =>
  Effect.fnUntraced(function* (orgId: OrgId, unitIds: ReadonlyArray<UnitId>) {
    const settings = yield* settingsOf(deps, orgId)
    let offered = 0
    for (const unitId of new Set(unitIds)) {
      const unit = yield* offerable(deps, orgId, unitId)
      if (Option.isNone(unit)) continue
      const candidates = yield* deps.repo.ranked(orgId, {
        filters: { resourceId: unit.value.resourceId, statuses: ["WAITING"] },
        weights: settings.priorityWeights,
        now: yield* DateTime.now,
        limit: 50
      })
      for (const candidate of candidates) {
        // The ledger decides first, so an entry whose time is still taken is never locked;
        // then the entry, which a concurrent freeing may have offered meanwhile. Either
        // refusal rolls back this attempt's savepoint, hold included.
        const interval = { startAt: candidate.entry.startAt, endAt: candidate.entry.endAt }
        const attempt = yield* Effect.result(
          deps.transactor.savepoint(
            Effect.gen(function* () {
              yield* hold(deps, candidate.entry, unitId, interval)
              const locked = yield* deps.repo.lockWaiting(orgId, candidate.entry.id)
              if (Option.isNone(locked)) return yield* Effect.fail("no longer waiting" as const)
              return yield* markOffered(deps, locked.value, unitId, interval, null)
            })
          )
        )
        if (attempt._tag === "Success") {
          offered++
          break
        }
      }
    }
    return offered
  })

/**
 * Ends an entry: releases its hold, and offers the freed unit to the next in line.
 *
 * @since 0.1.0
 * @category steps
 */
export const close =
  (deps: Deps, freed: (orgId: OrgId, unitIds: ReadonlyArray<UnitId>) => Effect.Effect<number, never, Ids>) =>
  (
    entry: WaitlistEntry,
    action: Closing,
    actorId: AccountId | null
  ): Effect.Effect<WaitlistEntry, InvalidTransition, Ids> =>
    Effect.gen(function* () {
      const status = yield* apply(entry.status, action)
      const held = entry.status === "OFFERED" ? entry.offeredUnitId : null
      if (held !== null) yield* deps.ledger.release(entry.orgId, holdOf(entry.id))
      const after = yield* deps.repo.update(entry.orgId, entry.id, { status })
      yield* record(deps, actorId, entry, after, `waitlist.${status.toLowerCase()}`)
      if (held !== null) yield* freed(entry.orgId, [held])
      return after
    })

/**
 * Expires the offers past their time, once across servers; answers how many.
 *
 * @since 0.1.0
 * @category steps
 */
export const expireDue = (
  deps: Deps,
  closing: (
    entry: WaitlistEntry,
    action: Closing,
    actorId: AccountId | null
  ) => Effect.Effect<WaitlistEntry, InvalidTransition, Ids>
) =>
  deps.transactor.withTransaction(
    Effect.gen(function* () {
      const due = yield* deps.repo.lockExpiredOffers(yield* DateTime.now, 100)
      for (const entry of due) yield* Effect.orDie(closing(entry, "expire", null))
      return due.length
    })
  )
