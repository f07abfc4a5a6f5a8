/**
 * The fines use case: members see and pay their own fines; managers see all, set fines and
 * waive them. A payment is recorded with the fine's new balance in one transaction.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
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
import type { Page } from "../kernel/Pagination.ts"
import type { ListQuery } from "../kernel/Records.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import type { BookingRepo, FineRepo } from "./BookingRepos.ts"
import type { Fine, FineFilters } from "./Fine.ts"
import type { NewFine } from "./FineSteps.ts"
import * as Steps from "./FineSteps.ts"

export type {
  /** @since 0.1.0 */
  NewFine
} from "./FineSteps.ts"

type Write = Forbidden | NotFound | PreconditionRequired | PreconditionFailed | InvalidTransition

/**
 * @since 0.1.0
 * @category services
 */
export class Fines extends Context.Service<
  Fines,
  {
    readonly list: (
      query: ListQuery<FineFilters, "createdAt">
    ) => Effect.Effect<Page<Fine>, Forbidden | ValidationFailed, CurrentActor>
    readonly get: (id: string) => Effect.Effect<Fine, NotFound, CurrentActor>
    /** The account must be a member of the org, and the booking one of its bookings. */
    readonly create: (input: NewFine) => Effect.Effect<Fine, Forbidden | ValidationFailed, CurrentActor>
    readonly waive: (id: string, expectedVersion: Expected) => Effect.Effect<Fine, Write, CurrentActor>
    /** Paying more than is owed is a `ValidationFailed`; the fine is PAID when fully paid. */
    readonly pay: (
      id: string,
      expectedVersion: Expected,
      amount: number
    ) => Effect.Effect<Fine, Write | ValidationFailed, CurrentActor>
  }
>()("@rota/core/bookings/Fines") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Fines,
  never,
  FineRepo | BookingRepo | MembershipRepo | OrgRepo | Transactor | AuditLog | Outbox.Outbox | Ids
> = Layer.effect(
  Fines,
  Effect.gen(function* () {
    const deps = yield* Steps.make
    return Fines.of({
      list: Effect.fn("Fines.list")(Steps.list(deps)),
      get: Effect.fn("Fines.get")(Steps.get(deps)),
      create: Effect.fn("Fines.create")(Steps.create(deps)),
      waive: Effect.fn("Fines.waive")(Steps.waive(deps)),
      pay: Effect.fn("Fines.pay")(Steps.pay(deps))
    })
  })
)
