import { assert, describe, layer } from "@effect/vitest"
import { DateTime, Deferred, Effect, Exit, Fiber, Layer, Result } from "effect"
import { Ids, nextId, OrgId, Uuid } from "../../src/kernel/Ids.ts"
import { Transactor } from "../../src/kernel/Transactor.ts"
import * as Ledger from "../../src/ledger/Ledger.ts"
import { AuditLogContract } from "../../src/testing/AuditLogContract.ts"
import type { ContractSuite } from "../../src/testing/Contract.ts"
import { IdempotencyContract } from "../../src/testing/IdempotencyContract.ts"
import { JobClaimsContract } from "../../src/testing/JobClaimsContract.ts"
import { LedgerContract } from "../../src/testing/LedgerContract.ts"
import * as MemoryDatabase from "../../src/testing/MemoryDatabase.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import * as MemoryTransactor from "../../src/testing/MemoryTransactor.ts"
import { OutboxContract } from "../../src/testing/OutboxContract.ts"
import { TransactorContract, TransactorProbe } from "../../src/testing/TransactorContract.ts"

type Services = MemoryStorage.Kernel | TransactorProbe | Ids

// The very suites storage-pg runs against PostgreSQL and PGlite.
const suites: ReadonlyArray<ContractSuite<Services>> = [
  TransactorContract,
  AuditLogContract,
  OutboxContract,
  IdempotencyContract,
  JobClaimsContract,
  LedgerContract
]

const memory = Layer.mergeAll(MemoryStorage.kernel, MemoryTransactor.probe, Ids.layer).pipe(
  Layer.provideMerge(MemoryDatabase.layer)
)

layer(memory, { excludeTestServices: true })("memory kernel", (it) => {
  for (const suite of suites) {
    describe(suite.name, () => {
      for (const contractCase of suite.cases) it.effect(contractCase.name, () => contractCase.run)
    })
  }

  it.effect("a read outside a transaction sees only what was committed", () =>
    Effect.gen(function* () {
      const tx = yield* Transactor
      const probe = yield* TransactorProbe
      yield* probe.reset
      const written = yield* Deferred.make<void>()
      const finish = yield* Deferred.make<void>()
      const open = yield* Effect.forkChild(
        tx.withTransaction(
          Effect.gen(function* () {
            yield* probe.write("a")
            yield* Deferred.succeed(written, undefined)
            yield* Deferred.await(finish)
          })
        )
      )
      yield* Deferred.await(written)
      assert.deepStrictEqual(yield* probe.readAll, [])
      yield* Deferred.succeed(finish, undefined)
      yield* Fiber.join(open)
      assert.deepStrictEqual(yield* probe.readAll, ["a"])
    })
  )

  it.effect("a write outside a transaction waits for the open one and survives its rollback", () =>
    Effect.gen(function* () {
      const tx = yield* Transactor
      const probe = yield* TransactorProbe
      yield* probe.reset
      const written = yield* Deferred.make<void>()
      const finish = yield* Deferred.make<void>()
      const open = yield* Effect.forkChild(
        Effect.exit(
          tx.withTransaction(
            Effect.gen(function* () {
              yield* probe.write("rolled back")
              yield* Deferred.succeed(written, undefined)
              yield* Deferred.await(finish)
              return yield* Effect.fail("refused")
            })
          )
        )
      )
      yield* Deferred.await(written)
      const outside = yield* Effect.forkChild(probe.write("on its own"))
      yield* Deferred.succeed(finish, undefined)
      assert.isTrue(Exit.isFailure(yield* Fiber.join(open)))
      yield* Fiber.join(outside)
      assert.deepStrictEqual(yield* probe.readAll, ["on its own"])
    })
  )

  it.effect(
    "of 20 concurrent claims of one subject and interval, each in its own transaction, one wins",
    () =>
      Effect.gen(function* () {
        const ledger = yield* Ledger.Ledger
        const tx = yield* Transactor
        const orgId = yield* nextId(OrgId)
        const subject: Ledger.Subject = { type: "unit", id: yield* nextId(Uuid) }
        const interval = {
          startAt: DateTime.makeUnsafe(Date.UTC(2030, 0, 1, 10)),
          endAt: DateTime.makeUnsafe(Date.UTC(2030, 0, 1, 12))
        }
        const attempts = yield* Effect.all(
          Array.from({ length: 20 }, () =>
            Effect.flatMap(nextId(Uuid), (id) =>
              Effect.result(
                tx.withTransaction(
                  Effect.andThen(
                    Effect.yieldNow,
                    ledger.claim(orgId, [{ subject, interval, source: { type: "booking", id } }])
                  )
                )
              )
            )
          ),
          { concurrency: "unbounded" }
        )
        assert.strictEqual(attempts.filter(Result.isSuccess).length, 1)
        assert.strictEqual(attempts.filter(Result.isFailure).length, 19)
        assert.strictEqual((yield* ledger.activeFor(orgId, [subject], interval)).length, 1)
      })
  )
})
