/**
 * The blackouts use case: closures set by managers on a unit, a resource or a site. Creating one
 * claims its units' time on the ledger in the transaction that records it; a blackout over
 * existing claims (bookings, interventions...) is refused with the list of clashes, so nothing
 * already promised is silently taken back. Deleting one frees the time, which goes to the
 * waitlist like any freed time.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type {
  Conflict,
  Forbidden,
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
import type { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import type * as FreedTime from "../ledger/FreedTime.ts"
import type { Ledger } from "../ledger/Ledger.ts"
import type { Blackout, BlackoutFilters, BlackoutSort, NewBlackout } from "./Blackout.ts"
import type { BlackoutRepo } from "./BlackoutRepo.ts"
import * as Steps from "./BlackoutSteps.ts"
import type { ResourceRepo, SiteRepo, UnitRepo } from "./InventoryRepos.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Blackouts extends Context.Service<
  Blackouts,
  {
    /** Refused with `Conflict` when any of its units is claimed during the interval. */
    readonly create: (
      input: NewBlackout
    ) => Effect.Effect<Blackout, Forbidden | NotFound | ValidationFailed | Conflict, CurrentActor>
    readonly list: (
      query: ListQuery<BlackoutFilters, BlackoutSort>
    ) => Effect.Effect<Page<Blackout>, Forbidden | ValidationFailed, CurrentActor>
    readonly get: (id: string) => Effect.Effect<Blackout, Forbidden | NotFound, CurrentActor>
    readonly remove: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<
      Blackout,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed,
      CurrentActor
    >
  }
>()("@rota/core/inventory/Blackouts") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Blackouts,
  never,
  | BlackoutRepo
  | UnitRepo
  | ResourceRepo
  | SiteRepo
  | Ledger
  | FreedTime.FreedTime
  | Transactor
  | AuditLog
  | Outbox.Outbox
  | Ids
> = Layer.effect(
  Blackouts,
  Effect.gen(function* () {
    const deps = yield* Steps.make
    return Blackouts.of({
      create: Effect.fn("Blackouts.create")(Steps.create(deps)),
      list: Effect.fn("Blackouts.list")(Steps.list(deps)),
      get: Effect.fn("Blackouts.get")(Steps.get(deps)),
      remove: Effect.fn("Blackouts.remove")(Steps.remove(deps))
    })
  })
)
