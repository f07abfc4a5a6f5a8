import { assert, describe, it, layer } from "@effect/vitest"
import { Ids, type Interval, Ledger, Transactor } from "@rota/core"
import { LedgerContract } from "@rota/core/testing"
import { DateTime, Effect, Layer, Result } from "effect"
import { SqlClient, type SqlError } from "effect/sql"
import { SqlErrors, Storage } from "../src/index.ts"
import { TestDatabase } from "../src/testing.ts"

const hours = (from: number, to: number): Interval.Interval => ({
  startAt: DateTime.makeUnsafe(Date.UTC(2030, 0, 1, from)),
  endAt: DateTime.makeUnsafe(Date.UTC(2030, 0, 1, to))
})

const fresh = Effect.gen(function* () {
  const orgId = yield* Ids.nextId(Ids.OrgId)
  const subject: Ledger.Subject = { type: "unit", id: yield* Ids.nextId(Ids.Uuid) }
  return { orgId, subject }
})
const booking = Effect.map(Ids.nextId(Ids.Uuid), (id): Ledger.Source => ({ type: "booking", id }))

const overlappingActivePairs = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  const [row] = yield* sql<{ pairs: number }>`
    SELECT count(*)::int AS pairs FROM allocations a JOIN allocations b
      ON a.org_id = b.org_id AND a.subject_type = b.subject_type AND a.subject_id = b.subject_id
      AND a.id < b.id AND a.during && b.during
    WHERE a.active AND b.active`
  return row?.pairs
})

for (const store of TestDatabase.stores()) {
  describe(store.name, () => {
    layer(Layer.mergeAll(Storage.layer, Ids.Ids.layer).pipe(Layer.provideMerge(store.layer)), {
      timeout: 60_000,
      excludeTestServices: true
    })("PgLedger", (it) => {
      describe(LedgerContract.LedgerContract.name, () => {
        for (const contractCase of LedgerContract.LedgerContract.cases) {
          it.effect(contractCase.name, () => contractCase.run)
        }
      })

      it.effect(
        "of 20 concurrent claims of one subject and interval, each in its own transaction, one wins",
        () =>
          Effect.gen(function* () {
            const ledger = yield* Ledger.Ledger
            const transactor = yield* Transactor.Transactor
            const { orgId, subject } = yield* fresh
            const attempts = yield* Effect.all(
              Array.from({ length: 20 }, () =>
                Effect.flatMap(booking, (source) =>
                  Effect.result(
                    transactor.withTransaction(
                      ledger.claim(orgId, [{ subject, interval: hours(10, 12), source }])
                    )
                  )
                )
              ),
              { concurrency: "unbounded" }
            )
            const winners = attempts.filter(Result.isSuccess)
            const losers = attempts.filter(Result.isFailure).map((attempt) => attempt.failure)
            assert.strictEqual(winners.length, 1)
            assert.strictEqual(losers.length, 19)
            for (const loser of losers) {
              assert.strictEqual(loser._tag, "Conflict")
              assert.deepStrictEqual(loser.conflicts, [
                { subjectType: "unit", subjectId: subject.id, ...hours(10, 12) }
              ])
            }
            assert.strictEqual((yield* ledger.activeFor(orgId, [subject], hours(0, 24))).length, 1)
            assert.strictEqual(yield* overlappingActivePairs, 0)
          })
      )

      it.effect("a refused claim inside a transaction leaves it usable: later writes commit", () =>
        Effect.gen(function* () {
          const ledger = yield* Ledger.Ledger
          const transactor = yield* Transactor.Transactor
          const { orgId, subject } = yield* fresh
          const other: Ledger.Subject = { type: "person", id: yield* Ids.nextId(Ids.Uuid) }
          const refused = yield* transactor.withTransaction(
            Effect.gen(function* () {
              yield* ledger.claim(orgId, [{ subject, interval: hours(10, 12), source: yield* booking }])
              const conflict = yield* Effect.flip(
                ledger.claim(orgId, [{ subject, interval: hours(11, 13), source: yield* booking }])
              )
              yield* ledger.claim(orgId, [
                { subject: other, interval: hours(11, 13), source: yield* booking }
              ])
              return conflict
            })
          )
          assert.strictEqual(refused._tag, "Conflict")
          const active = yield* ledger.activeFor(orgId, [subject, other], hours(0, 24))
          assert.deepStrictEqual(
            active.map((allocation) => [allocation.subject.id, allocation.interval]),
            // Ordered by subject type: the person before the unit.
            [
              [other.id, hours(11, 13)],
              [subject.id, hours(10, 12)]
            ]
          )
        })
      )

      it.effect("claims join the caller's transaction: its rollback takes them back", () =>
        Effect.gen(function* () {
          const ledger = yield* Ledger.Ledger
          const transactor = yield* Transactor.Transactor
          const { orgId, subject } = yield* fresh
          const source = yield* booking
          yield* transactor
            .withTransaction(
              Effect.andThen(
                ledger.claim(orgId, [{ subject, interval: hours(10, 12), source }]),
                Effect.fail("abandoned" as const)
              )
            )
            .pipe(Effect.flip)
          assert.deepStrictEqual(yield* ledger.activeFor(orgId, [subject], hours(0, 24)), [])
        })
      )

      it.effect("the database itself refuses overlapping active rows and empty or closed ranges", () =>
        Effect.gen(function* () {
          const sql = yield* SqlClient.SqlClient
          const { orgId, subject } = yield* fresh
          const row = (id: string, during: string, active = true) =>
            sql`INSERT INTO allocations ${sql.insert({
              org_id: orgId,
              id,
              subject_type: subject.type,
              subject_id: subject.id,
              during,
              source_type: "booking",
              source_id: id,
              active,
              created_at: DateTime.toDateUtc(hours(0, 1).startAt)
            })}`
          const sqlStateOf = (effect: Effect.Effect<unknown, SqlError.SqlError>) =>
            Effect.map(Effect.flip(effect), SqlErrors.sqlState)
          const id = () => Ids.nextId(Ids.Uuid)
          yield* row(yield* id(), "[2030-01-01 10:00Z, 2030-01-01 12:00Z)")
          assert.strictEqual(
            yield* sqlStateOf(row(yield* id(), "[2030-01-01 11:00Z, 2030-01-01 13:00Z)")),
            "23P01"
          )
          yield* row(yield* id(), "[2030-01-01 11:00Z, 2030-01-01 13:00Z)", false)
          yield* row(yield* id(), "[2030-01-01 12:00Z, 2030-01-01 13:00Z)")
          assert.strictEqual(
            yield* sqlStateOf(row(yield* id(), "[2030-01-01 14:00Z, 2030-01-01 14:00Z)")),
            "23514"
          )
          assert.strictEqual(
            yield* sqlStateOf(row(yield* id(), "[2030-01-01 14:00Z, 2030-01-01 15:00Z]")),
            "23514"
          )
          assert.strictEqual(yield* sqlStateOf(row(yield* id(), "[2030-01-01 14:00Z,)")), "23514")
        })
      )
    })
  })
}

describe("Ledger contract cases", () => {
  it("are named and cover the ledger's rules", () => {
    assert.isAtLeast(LedgerContract.LedgerContract.cases.length, 8)
  })
})
