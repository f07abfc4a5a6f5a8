import { describe, layer } from "@effect/vitest"
import { Ids } from "@rota/core"
import { type Contract, CrewReposContract } from "@rota/core/testing"
import { Layer } from "effect"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

type Services = Layer.Success<typeof Storage.layer> | Ids.Ids

// The suites the memory crew adapters pass in core, here on PostgreSQL and PGlite.
const suites: ReadonlyArray<Contract.ContractSuite<Services>> = [CrewReposContract.CrewReposContract]

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(Storage.layer, Ids.Ids.layer).pipe(Layer.provideMerge(store.layer)), {
      timeout: 60_000,
      excludeTestServices: true
    })("crew repos", (it) => {
      for (const suite of suites) {
        describe(suite.name, () => {
          for (const contractCase of suite.cases) it.effect(contractCase.name, () => contractCase.run)
        })
      }
    })
  })
}
