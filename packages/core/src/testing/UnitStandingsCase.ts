/**
 * The contract case of `UnitRepo.standings`, part of `InventoryReposContract`.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { ResourceRepo, UnitRepo } from "../inventory/InventoryRepos.ts"
import type { ResourceId } from "../inventory/Resource.ts"
import { ResourceUnit, UnitId } from "../inventory/ResourceUnit.ts"
import { type Ids, nextId, OrgId } from "../kernel/Ids.ts"
import { type ContractCase, expectEqual } from "./Contract.ts"
import { base, hour, resource } from "./InventoryFixtures.ts"

/**
 * @since 0.1.0
 * @category contracts
 */
export const unitStandings: ContractCase<UnitRepo | ResourceRepo | Ids> = {
  name: "a unit's standing is its own and its resource's status and deletion, deleted units included",
  run: Effect.gen(function* () {
    const units = yield* UnitRepo
    const resources = yield* ResourceRepo
    const orgId = yield* nextId(OrgId)
    const [open, closed] = [yield* resource(orgId, []), yield* resource(orgId, [])]
    yield* Effect.orDie(resources.update(orgId, closed.id, undefined, { status: "MAINTENANCE" }))
    const make = (resourceId: ResourceId, barcode: string) =>
      Effect.flatMap(nextId(UnitId), (id) =>
        Effect.orDie(
          units.insert(
            new ResourceUnit({
              ...base,
              id,
              orgId,
              resourceId,
              barcode,
              condition: "GOOD",
              status: "AVAILABLE",
              notes: null,
              createdAt: hour(0)
            })
          )
        )
      )
    const live = yield* make(open.id, "st-1")
    const gone = yield* make(open.id, "st-2")
    yield* Effect.orDie(
      units.softDelete(orgId, gone.id, undefined, DateTime.makeUnsafe(Date.UTC(2030, 0, 2)))
    )
    const ofClosed = yield* make(closed.id, "st-3")
    const unknown = yield* nextId(UnitId)
    const found = yield* units.standings(orgId, [live.id, gone.id, ofClosed.id, unknown])
    const byId = new Map(found.map((standing) => [standing.unit.id, standing]))
    yield* expectEqual(
      [live.id, gone.id, ofClosed.id, unknown].map((id) => {
        const standing = byId.get(id)
        return standing === undefined
          ? "none"
          : `${standing.unit.resourceId === open.id ? "open" : "closed"} ${standing.unit.status} ${
              standing.unit.deletedAt === null ? "live" : "deleted"
            } ${standing.resource.status} ${standing.resource.deletedAt === null ? "live" : "deleted"}`
      }),
      [
        "open AVAILABLE live AVAILABLE live",
        "open AVAILABLE deleted AVAILABLE live",
        "closed AVAILABLE live MAINTENANCE live",
        "none"
      ],
      "standings"
    )
    yield* expectEqual(yield* units.standings(yield* nextId(OrgId), [live.id]), [], "another org's units")
  })
}
