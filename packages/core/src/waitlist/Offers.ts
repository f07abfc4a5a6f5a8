/**
 * The offering engine: when a unit's time is freed, the best waiting entry that fits is offered
 * the unit, held in the ledger until the offer is accepted, declined or expires. It runs inside
 * the transaction that freed the time, so a freed unit is never left unoffered by a crash.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Duration, Effect, Layer, Option } from "effect"
import { BookingRepo } from "../bookings/BookingRepos.ts"
import { OrgRepo } from "../identity/IdentityRepos.ts"
import * as OrgSettings from "../identity/OrgSettings.ts"
import { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import { isBookable, type UnitId } from "../inventory/ResourceUnit.ts"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Conflict, InvalidTransition } from "../kernel/Errors.ts"
import type { AccountId, Ids, OrgId } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { FreedTime } from "../ledger/FreedTime.ts"
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
 * @category services
 */
export class Offers extends Context.Service<
  Offers,
  {
    /** Offers each freed unit to the best waiting entry it fits; answers how many were offered. */
    readonly offerFreed: (orgId: OrgId, unitIds: ReadonlyArray<UnitId>) => Effect.Effect<number, never, Ids>
    /** Holds `unitId` for the entry over `interval` and marks it OFFERED until the org's TTL. */
    readonly offer: (
      entry: WaitlistEntry,
      unitId: UnitId,
      interval: Interval,
      actorId: AccountId | null
    ) => Effect.Effect<WaitlistEntry, Conflict | InvalidTransition, Ids>
    /**
     * Ends an entry (`decline`, `expire`, `cancel`, `refuse`): releases its hold, and offers
     * the freed unit to the next in line.
     */
    readonly close: (
      entry: WaitlistEntry,
      action: Exclude<Action, "offer" | "accept">,
      actorId: AccountId | null
    ) => Effect.Effect<WaitlistEntry, InvalidTransition, Ids>
    /** Expires the offers past their time, once across servers; answers how many. */
    readonly expireDue: Effect.Effect<number, never, Ids>
  }
>()("@rota/core/waitlist/Offers") {}

const offersLayer: Layer.Layer<
  Offers,
  never,
  | WaitlistRepo
  | Ledger
  | UnitRepo
  | ResourceRepo
  | BookingRepo
  | OrgRepo
  | Transactor
  | AuditLog
  | Outbox.Outbox
> = Layer.effect(
  Offers,
  Effect.gen(function* () {
    const repo = yield* WaitlistRepo
    const ledger = yield* Ledger
    const units = yield* UnitRepo
    const resources = yield* ResourceRepo
    const bookings = yield* BookingRepo
    const orgs = yield* OrgRepo
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox>()

    const settingsOf = (orgId: OrgId) => OrgSettings.settingsOf(orgs, orgId)

    const record = (actorId: AccountId | null, before: WaitlistEntry, after: WaitlistEntry, topic: string) =>
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
      }).pipe(Effect.provide(context))

    // Marks a locked WAITING entry OFFERED, its unit already held.
    const markOffered = (
      entry: WaitlistEntry,
      unitId: UnitId,
      interval: Interval,
      actorId: AccountId | null
    ) =>
      Effect.gen(function* () {
        const status = yield* apply(entry.status, "offer")
        const settings = yield* settingsOf(entry.orgId)
        const at = yield* DateTime.now
        const own =
          DateTime.Equivalence(interval.startAt, entry.startAt) &&
          DateTime.Equivalence(interval.endAt, entry.endAt)
        const after = yield* repo.update(entry.orgId, entry.id, {
          status,
          offeredUnitId: unitId,
          offerStartAt: own ? null : interval.startAt,
          offerEndAt: own ? null : interval.endAt,
          offerExpiresAt: DateTime.addDuration(at, Duration.minutes(settings.offerTtlMinutes))
        })
        yield* record(actorId, entry, after, "waitlist.offered")
        return after
      })

    const hold = (entry: WaitlistEntry, unitId: UnitId, interval: Interval) =>
      ledger.claim(entry.orgId, [
        { subject: { type: "unit", id: unitId }, interval, source: holdOf(entry.id) }
      ])

    const offer = Effect.fn("Offers.offer")(function* (
      entry: WaitlistEntry,
      unitId: UnitId,
      interval: Interval,
      actorId: AccountId | null
    ) {
      yield* apply(entry.status, "offer")
      yield* hold(entry, unitId, interval)
      return yield* markOffered(entry, unitId, interval, actorId)
    })

    // A unit may be offered when it can be booked and is not still out with an earlier booking.
    const offerable = (orgId: OrgId, unitId: UnitId) =>
      Effect.gen(function* () {
        const unit = yield* units.find(orgId, unitId)
        if (Option.isNone(unit)) return Option.none()
        const resource = yield* resources.find(orgId, unit.value.resourceId)
        if (Option.isNone(resource) || !isBookable(unit.value, resource.value)) return Option.none()
        const out = yield* bookings.holdingUnits(orgId, [unitId], "00000000-0000-0000-0000-000000000000")
        return out.length > 0 ? Option.none() : Option.some(unit.value)
      })

    const offerFreed = Effect.fn("Offers.offerFreed")(function* (
      orgId: OrgId,
      unitIds: ReadonlyArray<UnitId>
    ) {
      const settings = yield* settingsOf(orgId)
      let offered = 0
      for (const unitId of new Set(unitIds)) {
        const unit = yield* offerable(orgId, unitId)
        if (Option.isNone(unit)) continue
        const candidates = yield* repo.ranked(orgId, {
          filters: { resourceId: unit.value.resourceId, statuses: ["WAITING"] },
          weights: settings.priorityWeights,
          now: DateTime.toDateUtc(yield* DateTime.now),
          limit: 50
        })
        for (const candidate of candidates) {
          // The ledger decides first, so an entry whose time is still taken is never locked;
          // then the entry, which a concurrent freeing may have offered meanwhile. Either
          // refusal rolls back this attempt's savepoint, hold included.
          const interval = { startAt: candidate.entry.startAt, endAt: candidate.entry.endAt }
          const attempt = yield* Effect.result(
            transactor.savepoint(
              Effect.gen(function* () {
                yield* hold(candidate.entry, unitId, interval)
                const locked = yield* repo.lockWaiting(orgId, candidate.entry.id)
                if (Option.isNone(locked)) return yield* Effect.fail("no longer waiting" as const)
                return yield* markOffered(locked.value, unitId, interval, null)
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

    const close = (
      entry: WaitlistEntry,
      action: Exclude<Action, "offer" | "accept">,
      actorId: AccountId | null
    ) =>
      Effect.gen(function* () {
        const status = yield* apply(entry.status, action)
        const held = entry.status === "OFFERED" ? entry.offeredUnitId : null
        if (held !== null) yield* ledger.release(entry.orgId, holdOf(entry.id))
        const after = yield* repo.update(entry.orgId, entry.id, { status })
        yield* record(actorId, entry, after, `waitlist.${status.toLowerCase()}`)
        if (held !== null) yield* offerFreed(entry.orgId, [held])
        return after
      })

    const expireDue = transactor.withTransaction(
      Effect.gen(function* () {
        const due = yield* repo.lockExpiredOffers(DateTime.toDateUtc(yield* DateTime.now), 100)
        for (const entry of due) yield* Effect.orDie(close(entry, "expire", null))
        return due.length
      })
    )

    return Offers.of({ offerFreed, offer, close, expireDue })
  })
)

/**
 * The offering engine, and the ledger's {@link FreedTime} port answered by it: freed unit time
 * is offered to the waitlist (other subjects have no waitlist).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Offers | FreedTime,
  never,
  | WaitlistRepo
  | Ledger
  | UnitRepo
  | ResourceRepo
  | BookingRepo
  | OrgRepo
  | Transactor
  | AuditLog
  | Outbox.Outbox
> = Layer.effect(
  FreedTime,
  Effect.map(Effect.service(Offers), (offers) =>
    FreedTime.of({
      // A unit subject's id is a unit id: the ledger keeps the id it was claimed with.
      freed: Effect.fn("FreedTime.freed")((orgId, subjects) =>
        offers.offerFreed(
          orgId,
          subjects.flatMap((subject) => (subject.type === "unit" ? [subject.id as UnitId] : []))
        )
      )
    })
  )
).pipe(Layer.provideMerge(offersLayer))
