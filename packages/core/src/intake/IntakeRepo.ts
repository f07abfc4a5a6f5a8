/**
 * The storage port of self-service intake: each unit's link generation and the requests its form
 * took.
 *
 * @since 0.1.0
 */
import { Context, type DateTime, type Effect } from "effect"
import type { InterventionId } from "../interventions/Intervention.ts"
import type { UnitId } from "../inventory/ResourceUnit.ts"
import type { OrgId } from "../kernel/Ids.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class IntakeRepo extends Context.Service<
  IntakeRepo,
  {
    /** The unit's link generation: 0 until its link is first revoked. */
    readonly generation: (orgId: OrgId, unitId: UnitId) => Effect.Effect<number>
    /** Moves the generation on (every earlier link stops working); answers the new one. */
    readonly revoke: (orgId: OrgId, unitId: UnitId) => Effect.Effect<number>
    /** Notes a request the form took, in the transaction that opened its intervention. */
    readonly record: (request: {
      readonly orgId: OrgId
      readonly unitId: UnitId
      readonly interventionId: InterventionId
      readonly at: DateTime.Utc
    }) => Effect.Effect<void>
    /** How many requests the unit's form took since `since`. */
    readonly countSince: (orgId: OrgId, unitId: UnitId, since: DateTime.Utc) => Effect.Effect<number>
  }
>()("@rota/core/intake/IntakeRepo") {}
