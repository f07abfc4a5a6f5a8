/**
 * The offering engine: when a unit's time is freed, the best waiting entry that fits is offered
 * the unit, held in the ledger until the offer is accepted, declined or expires. It runs inside
 * the transaction that freed the time, so a freed unit is never left unoffered by a crash.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { BookingRepo } from "../bookings/BookingRepos.ts"
import type { OrgRepo } from "../identity/IdentityRepos.ts"
import type { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { UnitId } from "../inventory/ResourceUnit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Conflict, InvalidTransition } from "../kernel/Errors.ts"
import type { AccountId, Ids, OrgId } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import { FreedTime } from "../ledger/FreedTime.ts"
import type { Interval } from "../ledger/Interval.ts"
import type { Ledger } from "../ledger/Ledger.ts"
import * as Steps from "./OfferSteps.ts"
import type { WaitlistEntry } from "./WaitlistEntry.ts"
import type { Action } from "./WaitlistLifecycle.ts"
import type { WaitlistRepo } from "./WaitlistRepo.ts"

export {
  /** @since 0.1.0 */
  holdOf
} from "./OfferSteps.ts"

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
    const deps = yield* Steps.make
    const offerFreed = Effect.fn("Offers.offerFreed")(Steps.offerFreed(deps))
    const close = Steps.close(deps, offerFreed)
    return Offers.of({
      offerFreed,
      offer: Effect.fn("Offers.offer")(Steps.offer(deps)),
      close: Effect.fn("Offers.close")(close),
      expireDue: Steps.expireDue(deps, close)
    })
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
