import { describe, layer } from "@effect/vitest"
import { Ids } from "@rota/core"
import { BookingReposContract } from "@rota/core/testing"
import { Layer } from "effect"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"
import { bookableUnit } from "./fixtures/BookableUnit.ts"

// Booking items reference units, so each contract unit is a stored resource with one unit.
const suite = BookingReposContract.BookingReposContract({ unit: bookableUnit })

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
