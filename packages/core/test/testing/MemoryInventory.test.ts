import { describe, layer } from "@effect/vitest"
import { Layer } from "effect"
import { Ids } from "../../src/kernel/Ids.ts"
import { InventoryReposContract } from "../../src/testing/InventoryReposContract.ts"
import * as MemoryDatabase from "../../src/testing/MemoryDatabase.ts"
import * as MemoryInventoryRepos from "../../src/testing/MemoryInventoryRepos.ts"

// The very suite storage-pg runs against PostgreSQL and PGlite.
layer(Layer.mergeAll(MemoryInventoryRepos.layer, Ids.layer).pipe(Layer.provideMerge(MemoryDatabase.layer)), {
  excludeTestServices: true
})("memory inventory repos", (it) => {
  describe(InventoryReposContract.name, () => {
    for (const contractCase of InventoryReposContract.cases)
      it.effect(contractCase.name, () => contractCase.run)
  })
})
