import { assert, describe, it, layer } from "@effect/vitest"
import { TransactorContract } from "@rota/core/testing"
import { Layer } from "effect"
import { PgTransactor } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"
import * as TransactorProbe from "./fixtures/TransactorProbe.ts"

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(PgTransactor.layer, TransactorProbe.layer).pipe(Layer.provideMerge(store.layer)), {
      timeout: 60_000
    })("PgTransactor", (it) => {
      for (const contractCase of TransactorContract.TransactorContract.cases) {
        it.effect(contractCase.name, () => contractCase.run)
      }
    })
  })
}

describe("contract cases", () => {
  it("are named and non-empty", () => {
    assert.isAbove(TransactorContract.TransactorContract.cases.length, 3)
  })
})
