/**
 * The availability use case: people submit, change and withdraw windows of their own; managers
 * see everyone's and approve or reject them. A changed window waits for a decision again.
 * Approved leave (an `UNAVAILABLE` window) claims its person's time on the ledger, so no
 * intervention, assignment or other claim can be scheduled over it, and `/v1/conflicts` shows
 * it; approving leave over work already scheduled is a `Conflict` naming that work's time.
 * Those who decide windows may also enter one for another member of the organisation.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { MembershipRepo } from "../identity/IdentityRepos.ts"
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
import type { Outbox } from "../kernel/Outbox.ts"
import type { Page } from "../kernel/Pagination.ts"
import type { ListQuery } from "../kernel/Records.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import type { Ledger } from "../ledger/Ledger.ts"
import type {
  Availability,
  AvailabilityFields,
  AvailabilityFilters,
  AvailabilitySort,
  AvailabilitySubmission
} from "./Availability.ts"
import * as Steps from "./AvailabilitySteps.ts"
import type { AvailabilityRepo } from "./CrewRepos.ts"

type WriteError = Forbidden | NotFound | PreconditionRequired | PreconditionFailed

/**
 * @since 0.1.0
 * @category services
 */
export class Availabilities extends Context.Service<
  Availabilities,
  {
    /** Everyone's windows to managers; to everyone else, their own. */
    readonly list: (
      query: ListQuery<AvailabilityFilters, AvailabilitySort>
    ) => Effect.Effect<Page<Availability>, Forbidden | ValidationFailed, CurrentActor>
    readonly get: (id: string) => Effect.Effect<Availability, Forbidden | NotFound, CurrentActor>
    /**
     * A window pending a manager's decision: the caller's own, or, for a manager, that of the
     * member named by `accountId`.
     */
    readonly submit: (
      fields: AvailabilitySubmission
    ) => Effect.Effect<Availability, Forbidden | NotFound | ValidationFailed, CurrentActor>
    readonly update: (
      id: string,
      expectedVersion: Expected,
      changes: Partial<AvailabilityFields>
    ) => Effect.Effect<Availability, WriteError | ValidationFailed, CurrentActor>
    readonly remove: (id: string, expectedVersion: Expected) => Effect.Effect<void, WriteError, CurrentActor>
    readonly decide: (
      id: string,
      expectedVersion: Expected,
      decision: "APPROVED" | "REJECTED"
    ) => Effect.Effect<Availability, WriteError | InvalidTransition | Conflict, CurrentActor>
  }
>()("@rota/core/crews/Availabilities") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Availabilities,
  never,
  AvailabilityRepo | MembershipRepo | Transactor | Ledger | AuditLog | Outbox | Ids
> = Layer.effect(
  Availabilities,
  Effect.gen(function* () {
    const deps = yield* Steps.make
    const get = Effect.fn("Availabilities.get")(Steps.visible(deps))
    return Availabilities.of({
      list: Effect.fn("Availabilities.list")(Steps.list(deps)),
      get,
      submit: Effect.fn("Availabilities.submit")(Steps.submit(deps)),
      update: Effect.fn("Availabilities.update")(Steps.update(deps, get)),
      remove: Effect.fn("Availabilities.remove")(Steps.remove(deps, get)),
      decide: Effect.fn("Availabilities.decide")(Steps.decide(deps))
    })
  })
)
