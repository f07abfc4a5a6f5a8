import { describe, layer } from "@effect/vitest"
import { Layer } from "effect"
import { Ids } from "../../src/kernel/Ids.ts"
import { AccountReposContract } from "../../src/testing/AccountReposContract.ts"
import * as MemoryDatabase from "../../src/testing/MemoryDatabase.ts"
import * as MemoryIdentityRepos from "../../src/testing/MemoryIdentityRepos.ts"
import { SessionReposContract } from "../../src/testing/SessionReposContract.ts"

// The very suites storage-pg runs against PostgreSQL and PGlite.
const suites = [AccountReposContract, SessionReposContract]

layer(Layer.mergeAll(MemoryIdentityRepos.layer, Ids.layer).pipe(Layer.provideMerge(MemoryDatabase.layer)), {
  excludeTestServices: true
})("memory identity repos", (it) => {
  for (const suite of suites) {
    describe(suite.name, () => {
      for (const contractCase of suite.cases) it.effect(contractCase.name, () => contractCase.run)
    })
  }
})
