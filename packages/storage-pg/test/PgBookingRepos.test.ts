import { describe, layer } from "@effect/vitest"
import { Ids, InventoryRepos, Resource, ResourceUnit } from "@rota/core"
import { BookingReposContract } from "@rota/core/testing"
import { DateTime, Effect, Layer } from "effect"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

// Booking items reference units, so each contract unit is a stored resource with one unit.
const suite = BookingReposContract.BookingReposContract({
  unit: (orgId) =>
    Effect.gen(function* () {
      const createdAt = DateTime.makeUnsafe(Date.UTC(2030, 0, 1))
      const resource = yield* (yield* InventoryRepos.ResourceRepo).insert(
        new Resource.Resource({
          id: yield* Ids.nextId(Resource.ResourceId),
          orgId,
          siteId: null,
          type: "equipment",
          name: "Contract resource",
          description: null,
          serialNumber: null,
          status: "AVAILABLE",
          tags: [],
          version: 1,
          createdAt,
          deletedAt: null
        })
      )
      const unitId = yield* Ids.nextId(ResourceUnit.UnitId)
      yield* (yield* InventoryRepos.UnitRepo).insert(
        new ResourceUnit.ResourceUnit({
          id: unitId,
          orgId,
          resourceId: resource.id,
          barcode: `C-${unitId}`,
          condition: "GOOD",
          status: "AVAILABLE",
          notes: null,
          version: 1,
          createdAt,
          deletedAt: null
        })
      )
      return { unitId, resourceId: resource.id }
    })
})

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(Storage.layer, Ids.Ids.layer).pipe(Layer.provideMerge(store.layer)), {
      timeout: 60_000,
      excludeTestServices: true
    })("PgBookingRepos", (it) => {
      describe(suite.name, () => {
        for (const contractCase of suite.cases) it.effect(contractCase.name, () => contractCase.run)
      })
    })
  })
}
