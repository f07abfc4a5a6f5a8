import { describe, layer } from "@effect/vitest"
import { Layer } from "effect"
import { Ids } from "../../src/kernel/Ids.ts"
import { CrewReposContract } from "../../src/testing/CrewReposContract.ts"
import * as MemoryCrewRepos from "../../src/testing/MemoryCrewRepos.ts"
import * as MemoryDatabase from "../../src/testing/MemoryDatabase.ts"
import * as MemoryIdentityRepos from "../../src/testing/MemoryIdentityRepos.ts"

// The very suite storage-pg runs against PostgreSQL and PGlite.
layer(
  Layer.mergeAll(MemoryCrewRepos.layer, MemoryIdentityRepos.layer, Ids.layer).pipe(
    Layer.provideMerge(MemoryDatabase.layer)
  ),
  { excludeTestServices: true }
)("memory crew repos", (it) => {
  describe(CrewReposContract.name, () => {
    for (const contractCase of CrewReposContract.cases) it.effect(contractCase.name, () => contractCase.run)
  })
})
