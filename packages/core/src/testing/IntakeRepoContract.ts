/**
 * The contract of every `IntakeRepo` adapter: a unit's link generation starts at 0 and moves on
 * by one per revocation, for that unit of that org only; counting requests never moves it; the
 * count is of the unit's requests at or after the instant. A request names an intervention, which
 * a store may require to exist: the adapter's test gives `intervention`, which opens one in the
 * org about the unit.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { IntakeRepo } from "../intake/IntakeRepo.ts"
import type { InterventionId } from "../interventions/Intervention.ts"
import type { ResourceRepo } from "../inventory/InventoryRepos.ts"
import { UnitRepo } from "../inventory/InventoryRepos.ts"
import { ResourceUnit, UnitId } from "../inventory/ResourceUnit.ts"
import { type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"
import { base, hour, resource } from "./InventoryFixtures.ts"

/**
 * What the suite needs from the adapter's test: an intervention of the org about the unit.
 *
 * @since 0.1.0
 * @category models
 */
export interface Fixtures<R> {
  readonly intervention: (orgId: OrgId, unitId: UnitId) => Effect.Effect<InterventionId, unknown, R>
}

/** A stored unit of a new resource of the org. */
const unit = (orgId: OrgId) =>
  Effect.gen(function* () {
    const of = yield* resource(orgId, [])
    const id = yield* nextId(UnitId)
    const stored = new ResourceUnit({
      ...base,
      id,
      orgId,
      resourceId: of.id,
      barcode: `intake-${id}`,
      condition: "GOOD",
      status: "AVAILABLE",
      notes: null,
      createdAt: hour(0)
    })
    return (yield* Effect.orDie((yield* UnitRepo).insert(stored))).id
  })

const minute = (n: number) => DateTime.makeUnsafe(Date.UTC(2030, 0, 1, 10, n))

/**
 * @since 0.1.0
 * @category suites
 */
export const IntakeRepoContract = <R>(
  fixtures: Fixtures<R>
): ContractSuite<IntakeRepo | ResourceRepo | UnitRepo | Ids | R> => ({
  name: "IntakeRepo",
  cases: [
    {
      name: "a unit's link generation starts at 0 and moves on by one per revocation, for that unit only",
      run: Effect.gen(function* () {
        const intake = yield* IntakeRepo
        const orgId = yield* nextId(OrgId)
        const [first, second] = [yield* unit(orgId), yield* unit(orgId)]
        yield* expectEqual(yield* intake.generation(orgId, first), 0, "a new unit")
        yield* expectEqual(yield* intake.revoke(orgId, first), 1, "first revocation")
        yield* expectEqual(yield* intake.revoke(orgId, first), 2, "second revocation")
        yield* expectEqual(yield* intake.generation(orgId, first), 2, "read back")
        yield* expectEqual(yield* intake.generation(orgId, second), 0, "another unit")
        yield* expectEqual(yield* intake.generation(yield* nextId(OrgId), first), 0, "from another org")
      })
    },
    {
      name: "counts the unit's requests at or after an instant, and counting leaves the generation be",
      run: Effect.gen(function* () {
        const intake = yield* IntakeRepo
        const orgId = yield* nextId(OrgId)
        const [first, second] = [yield* unit(orgId), yield* unit(orgId)]
        yield* expectEqual(yield* intake.countSince(orgId, first, minute(0)), 0, "no request yet")
        yield* expectEqual(yield* intake.generation(orgId, first), 0, "counting does not revoke")
        for (const n of [5, 10, 15]) {
          const interventionId = yield* fixtures.intervention(orgId, first)
          yield* intake.record({ orgId, unitId: first, interventionId, at: minute(n) })
        }
        yield* intake.record({
          orgId,
          unitId: second,
          interventionId: yield* fixtures.intervention(orgId, second),
          at: minute(12)
        })
        yield* expectEqual(yield* intake.countSince(orgId, first, minute(0)), 3, "all of them")
        yield* expectEqual(yield* intake.countSince(orgId, first, minute(10)), 2, "at or after minute 10")
        yield* expectEqual(yield* intake.countSince(orgId, first, minute(16)), 0, "after the last one")
        yield* expectEqual(yield* intake.countSince(orgId, second, minute(0)), 1, "the other unit's")
        yield* intake.revoke(orgId, second)
        yield* intake.countSince(orgId, second, minute(0))
        yield* expectEqual(yield* intake.generation(orgId, second), 1, "a revoked unit, counted")
      })
    }
  ]
})
