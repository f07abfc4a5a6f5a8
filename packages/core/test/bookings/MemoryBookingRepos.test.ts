import { describe, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import { ResourceId } from "../../src/inventory/Resource.ts"
import { UnitId } from "../../src/inventory/ResourceUnit.ts"
import { Ids, nextId } from "../../src/kernel/Ids.ts"
import { BookingReposContract } from "../../src/testing/BookingReposContract.ts"
import * as MemoryBookingRepos from "../../src/testing/MemoryBookingRepos.ts"
import * as MemoryDatabase from "../../src/testing/MemoryDatabase.ts"

// The memory store keeps no units, so any ids do.
const suite = BookingReposContract({
  unit: () => Effect.all({ unitId: nextId(UnitId), resourceId: nextId(ResourceId) })
})

layer(Layer.mergeAll(MemoryBookingRepos.layer, Ids.layer).pipe(Layer.provideMerge(MemoryDatabase.layer)), {
  excludeTestServices: true
})("MemoryBookingRepos", (it) => {
  describe(suite.name, () => {
    for (const contractCase of suite.cases) it.effect(contractCase.name, () => contractCase.run)
  })
})
