import { describe, layer } from "@effect/vitest"
import { Layer } from "effect"
import { Ids } from "../../src/kernel/Ids.ts"
import { InterventionReposContract } from "../../src/testing/InterventionReposContract.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"

// The very suite storage-pg runs against PostgreSQL and PGlite, on the memory storage (the
// suite makes its members, resources and parts through the identity and inventory ports).
layer(Layer.mergeAll(MemoryStorage.layer, Ids.layer), { excludeTestServices: true })(
  "memory intervention repos",
  (it) => {
    describe(InterventionReposContract.name, () => {
      for (const contractCase of InterventionReposContract.cases)
        it.effect(contractCase.name, () => contractCase.run)
    })
  }
)
