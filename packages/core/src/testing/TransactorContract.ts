/**
 * The contract every `Transactor` adapter keeps: all or nothing, nested work as savepoints.
 *
 * @since 0.1.0
 */
import { Context, Effect, Exit } from "effect"
import { Transactor } from "../kernel/Transactor.ts"
import { type ContractSuite, expectEqual } from "./Contract.ts"

/**
 * A scratch store the adapter's test provides, written through the same connection the
 * transaction uses, so the contract can see what was committed.
 *
 * @since 0.1.0
 * @category services
 */
export class TransactorProbe extends Context.Service<
  TransactorProbe,
  {
    readonly reset: Effect.Effect<void>
    readonly write: (value: string) => Effect.Effect<void>
    readonly readAll: Effect.Effect<ReadonlyArray<string>>
  }
>()("@rota/core/testing/TransactorProbe") {}

class Boom {
  readonly _tag = "Boom"
}

const scenario = <A, E>(
  body: (probe: TransactorProbe["Service"], tx: Transactor["Service"]) => Effect.Effect<A, E>
) =>
  Effect.gen(function* () {
    const probe = yield* TransactorProbe
    const tx = yield* Transactor
    yield* probe.reset
    yield* Effect.exit(body(probe, tx))
    return yield* probe.readAll
  })

/**
 * @since 0.1.0
 * @category suites
 */
export const TransactorContract: ContractSuite<Transactor | TransactorProbe> = {
  name: "Transactor",
  cases: [
    {
      name: "commits every write of an effect that succeeds",
      run: Effect.gen(function* () {
        const rows = yield* scenario((probe, tx) =>
          tx.withTransaction(Effect.andThen(probe.write("a"), probe.write("b")))
        )
        yield* expectEqual([...rows].sort(), ["a", "b"], "committed rows")
      })
    },
    {
      name: "rolls back every write of an effect that fails after writing",
      run: Effect.gen(function* () {
        const rows = yield* scenario((probe, tx) =>
          tx.withTransaction(Effect.andThen(probe.write("a"), Effect.fail(new Boom())))
        )
        yield* expectEqual(rows, [], "rows after a failed transaction")
      })
    },
    {
      name: "rolls back every write of an effect that dies after writing",
      run: Effect.gen(function* () {
        const rows = yield* scenario((probe, tx) =>
          tx.withTransaction(Effect.andThen(probe.write("a"), Effect.die("boom")))
        )
        yield* expectEqual(rows, [], "rows after a defect")
      })
    },
    {
      name: "a nested transaction joins the outer one: it commits and rolls back with it",
      run: Effect.gen(function* () {
        const committed = yield* scenario((probe, tx) =>
          tx.withTransaction(Effect.andThen(probe.write("outer"), tx.withTransaction(probe.write("inner"))))
        )
        yield* expectEqual(committed, ["inner", "outer"], "rows after both committed")
        const rolledBack = yield* scenario((probe, tx) =>
          tx.withTransaction(
            Effect.gen(function* () {
              yield* tx.withTransaction(probe.write("inner"))
              return yield* Effect.fail(new Boom())
            })
          )
        )
        yield* expectEqual(rolledBack, [], "rows after the outer failed")
      })
    },
    {
      name: "a failed savepoint undoes only its own writes",
      run: Effect.gen(function* () {
        const rows = yield* scenario((probe, tx) =>
          tx.withTransaction(
            Effect.gen(function* () {
              yield* probe.write("outer")
              const inner = yield* Effect.exit(
                tx.savepoint(Effect.andThen(probe.write("inner"), Effect.fail(new Boom())))
              )
              yield* expectEqual(Exit.isFailure(inner), true, "inner savepoint failed")
            })
          )
        )
        yield* expectEqual(rows, ["outer"], "rows after a rolled back savepoint")
      })
    }
  ]
}
