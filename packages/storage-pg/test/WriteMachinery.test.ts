import { describe, layer } from "@effect/vitest"
import { type AuditLog, type Idempotency, Ids, type Jobs, type Outbox, type Transactor } from "@rota/core"
import {
  AuditLogContract,
  type Contract,
  IdempotencyContract,
  JobClaimsContract,
  OutboxContract,
  type TransactorContract
} from "@rota/core/testing"
import { Layer } from "effect"
import { Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"
import * as TransactorProbe from "./fixtures/TransactorProbe.ts"

type Services =
  | Ids.Ids
  | AuditLog.AuditLog
  | Outbox.Outbox
  | Transactor.Transactor
  | TransactorContract.TransactorProbe
  | Idempotency.IdempotencyStore
  | Jobs.JobClaims

const suites: ReadonlyArray<Contract.ContractSuite<Services>> = [
  AuditLogContract.AuditLogContract,
  OutboxContract.OutboxContract,
  IdempotencyContract.IdempotencyContract,
  JobClaimsContract.JobClaimsContract
]

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(
      Layer.mergeAll(Storage.layer, TransactorProbe.layer, Ids.Ids.layer).pipe(
        Layer.provideMerge(store.layer)
      ),
      {
        timeout: 60_000,
        excludeTestServices: true
      }
    )("write machinery", (it) => {
      for (const suite of suites) {
        describe(suite.name, () => {
          for (const contractCase of suite.cases) it.effect(contractCase.name, () => contractCase.run)
        })
      }
    })
  })
}
