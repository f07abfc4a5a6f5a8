import { assert, describe, it, layer } from "@effect/vitest"
import { TransactorContract } from "@rota/core/testing"
import { Effect, Layer } from "effect"
import { SqlClient } from "effect/sql"
import { PgTransactor } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

// The probe writes through the same SqlClient the transaction uses, into a scratch table.
const Probe = Layer.effect(
  TransactorContract.TransactorProbe,
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    yield* sql`CREATE TABLE IF NOT EXISTS transactor_probe (value text NOT NULL)`
    return TransactorContract.TransactorProbe.of({
      reset: Effect.orDie(sql`DELETE FROM transactor_probe`),
      write: (value) => Effect.orDie(sql`INSERT INTO transactor_probe ${sql.insert({ value })}`),
      readAll: Effect.orDie(
        Effect.map(sql<{ value: string }>`SELECT value FROM transactor_probe ORDER BY value`, (rows) =>
          rows.map((row) => row.value)
        )
      )
    })
  })
)

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(PgTransactor.layer, Probe).pipe(Layer.provideMerge(store.layer)), {
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
