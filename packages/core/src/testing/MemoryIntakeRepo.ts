/**
 * The `IntakeRepo` port on the {@link MemoryDatabase}: each unit's link generation, and the
 * requests its form took. PostgreSQL takes the unit's link row before counting, so concurrent
 * requests count one by one; here memory transactions run one at a time, which gives the same.
 * The same `IntakeRepoContract` holds both adapters to it.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Layer } from "effect"
import { IntakeRepo } from "../intake/IntakeRepo.ts"
import type { InterventionId } from "../interventions/Intervention.ts"
import type { UnitId } from "../inventory/ResourceUnit.ts"
import type { OrgId } from "../kernel/Ids.ts"
import { MemoryDatabase, put, rows, table } from "./MemoryDatabase.ts"

interface RequestRow {
  readonly orgId: OrgId
  readonly unitId: UnitId
  readonly interventionId: InterventionId
  readonly at: DateTime.Utc
}

// Generations by `org/unit`; a unit without a row is at 0.
const generations = rows<number>("unit_intake_links")
const requests = table<ReadonlyArray<RequestRow>>("intake_requests", [])

const keyOf = (orgId: string, unitId: string) => `${orgId}/${unitId}`

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<IntakeRepo, never, MemoryDatabase> = Layer.effect(
  IntakeRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase

    const generation = Effect.fn("MemoryIntakeRepo.generation")(function* (orgId: OrgId, unitId: UnitId) {
      return (yield* database.read(generations)).get(keyOf(orgId, unitId)) ?? 0
    })

    const revoke = Effect.fn("MemoryIntakeRepo.revoke")(function* (orgId: OrgId, unitId: UnitId) {
      return yield* database.modify(generations, (all) => {
        const next = (all.get(keyOf(orgId, unitId)) ?? 0) + 1
        return [next, put(all, keyOf(orgId, unitId), next)]
      })
    })

    const record = Effect.fn("MemoryIntakeRepo.record")(function* (request: RequestRow) {
      yield* database.modify(requests, (all) => [undefined, [...all, request]])
    })

    const countSince = Effect.fn("MemoryIntakeRepo.countSince")(function* (
      orgId: OrgId,
      unitId: UnitId,
      since: DateTime.Utc
    ) {
      const from = DateTime.toEpochMillis(since)
      return (yield* database.read(requests)).filter(
        (request) =>
          request.orgId === orgId && request.unitId === unitId && DateTime.toEpochMillis(request.at) >= from
      ).length
    })

    return IntakeRepo.of({ generation, revoke, record, countSince })
  })
)
