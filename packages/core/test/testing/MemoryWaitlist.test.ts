import { describe, layer } from "@effect/vitest"
import { Layer } from "effect"
import { Ids } from "../../src/kernel/Ids.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { WaitlistRepoContract } from "../../src/testing/WaitlistRepoContract.ts"

// The very suite storage-pg runs against PostgreSQL and PGlite, on the memory storage (scores
// count the bookings, fines and memberships the other memory adapters keep).
layer(Layer.mergeAll(MemoryStorage.layer, Ids.layer), { excludeTestServices: true })(
  "memory waitlist repo",
  (it) => {
    describe(WaitlistRepoContract.name, () => {
      for (const contractCase of WaitlistRepoContract.cases)
        it.effect(contractCase.name, () => contractCase.run)
    })
  }
)
