/**
 * Reading the ledger: what holds a unit's or a person's time in a window, for `GET
 * /v1/conflicts` and for planners choosing a free slot.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Option } from "effect"
import { MembershipRepo } from "../identity/IdentityRepos.ts"
import { UnitRepo } from "../inventory/InventoryRepos.ts"
import type { UnitId } from "../inventory/ResourceUnit.ts"
import { type Forbidden, NotFound, ValidationFailed } from "../kernel/Errors.ts"
import type { AccountId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Interval } from "../ledger/Interval.ts"
import { type Allocation, Ledger, type Subject } from "../ledger/Ledger.ts"

/**
 * Whose time: a unit or a person, exactly one.
 *
 * @since 0.1.0
 * @category models
 */
export interface SubjectQuery {
  readonly unitId?: UnitId | undefined
  readonly accountId?: AccountId | undefined
}

/**
 * @since 0.1.0
 * @category services
 */
export class Schedule extends Context.Service<
  Schedule,
  {
    /** The active allocations of the subject overlapping the window, by start time. */
    readonly occupied: (
      query: SubjectQuery,
      window: Interval
    ) => Effect.Effect<ReadonlyArray<Allocation>, Forbidden | NotFound | ValidationFailed, CurrentActor>
  }
>()("@rota/core/bookings/Schedule") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Schedule, never, Ledger | UnitRepo | MembershipRepo> = Layer.effect(
  Schedule,
  Effect.gen(function* () {
    const ledger = yield* Ledger
    const units = yield* UnitRepo
    const memberships = yield* MembershipRepo

    // The subject must belong to the caller's org: another org's id is not found.
    const subjectOf = (query: SubjectQuery) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        if ((query.unitId === undefined) === (query.accountId === undefined))
          return yield* new ValidationFailed({
            errors: [{ path: ["query"], message: "Give exactly one of unitId and accountId" }]
          })
        if (query.unitId !== undefined) {
          if (Option.isNone(yield* units.find(actor.orgId, query.unitId, { includeDeleted: true })))
            return yield* new NotFound({ entity: "unit", id: query.unitId })
          return { type: "unit", id: query.unitId } satisfies Subject
        }
        const accountId = query.accountId!
        if (Option.isNone(yield* memberships.find(actor.orgId, accountId)))
          return yield* new NotFound({ entity: "member", id: accountId })
        return { type: "person", id: accountId } satisfies Subject
      })

    return Schedule.of({
      occupied: Effect.fn("Schedule.occupied")(function* (query, window) {
        yield* Permissions.require("schedule.read")
        if (DateTime.toEpochMillis(window.endAt) <= DateTime.toEpochMillis(window.startAt))
          return yield* new ValidationFailed({
            errors: [{ path: ["query", "to"], message: "must be after from" }]
          })
        const actor = yield* CurrentActor
        const subject = yield* subjectOf(query)
        return yield* ledger.activeFor(actor.orgId, [subject], window)
      })
    })
  })
)
