/**
 * The rate profiles use case: managers set what each member's time costs.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Option } from "effect"
import { MembershipRepo } from "../identity/IdentityRepos.ts"
import * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import { type Forbidden, NotFound } from "../kernel/Errors.ts"
import type { AccountId, Ids } from "../kernel/Ids.ts"
import * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { RateProfileRepo } from "./CrewRepos.ts"
import { type RateFields, RateProfile } from "./RateProfile.ts"

const manage: Permissions.Permission = "rate_profile.manage"

/**
 * @since 0.1.0
 * @category services
 */
export class RateProfiles extends Context.Service<
  RateProfiles,
  {
    /** The profile of an active member; `NotFound` when none was set. */
    readonly get: (accountId: AccountId) => Effect.Effect<RateProfile, Forbidden | NotFound, CurrentActor>
    /** Sets (or replaces) an active member's profile. */
    readonly put: (
      accountId: AccountId,
      fields: RateFields
    ) => Effect.Effect<RateProfile, Forbidden | NotFound, CurrentActor>
  }
>()("@rota/core/crews/RateProfiles") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  RateProfiles,
  never,
  RateProfileRepo | MembershipRepo | Transactor | AuditLog | Outbox.Outbox | Ids
> = Layer.effect(
  RateProfiles,
  Effect.gen(function* () {
    const profiles = yield* RateProfileRepo
    const memberships = yield* MembershipRepo
    const transactor = yield* Transactor
    const context = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    const member = (accountId: AccountId) =>
      Effect.gen(function* () {
        yield* Permissions.require(manage)
        const actor = yield* CurrentActor
        if (Option.isNone(yield* memberships.find(actor.orgId, accountId))) {
          return yield* new NotFound({ entity: "member", id: accountId })
        }
        return actor
      })

    return RateProfiles.of({
      get: Effect.fn("RateProfiles.get")(function* (accountId) {
        const actor = yield* member(accountId)
        const found = yield* profiles.find(actor.orgId, accountId)
        if (Option.isNone(found)) return yield* new NotFound({ entity: "rate_profile", id: accountId })
        return found.value
      }),
      put: Effect.fn("RateProfiles.put")(function* (accountId, fields) {
        const actor = yield* member(accountId)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const before = yield* profiles.find(actor.orgId, accountId)
            const after = yield* profiles.put(
              new RateProfile({
                accountId,
                orgId: actor.orgId,
                currency: fields.currency,
                hourly: fields.hourly ?? null,
                daily: fields.daily ?? null
              })
            )
            yield* Audit.record({
              entityType: "rate_profile",
              entityId: accountId,
              action: Option.isSome(before) ? "UPDATE" : "CREATE",
              before: Option.getOrNull(before),
              after
            })
            yield* Outbox.send({
              orgId: actor.orgId,
              topic: "rate_profile.updated",
              payload: { accountId }
            })
            return after
          })
        )
      }, Effect.provide(context))
    })
  })
)
