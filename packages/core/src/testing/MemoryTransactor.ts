/**
 * The `Transactor` port on the {@link MemoryDatabase}: every memory adapter's writes commit or
 * roll back together, nested transactions join the outer one and savepoints undo only their own
 * writes, as on PostgreSQL (the same `TransactorContract` holds both to it).
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { Transactor } from "../kernel/Transactor.ts"
import { MemoryDatabase, table } from "./MemoryDatabase.ts"
import { TransactorProbe } from "./TransactorContract.ts"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<Transactor, never, MemoryDatabase> = Layer.effect(
  Transactor,
  Effect.map(Effect.service(MemoryDatabase), (database) =>
    Transactor.of({ withTransaction: database.transaction, savepoint: database.savepoint })
  )
)

const probeRows = table<ReadonlyArray<string>>("transactor_probe", [])

/**
 * The contract suites' scratch store, a table of the same database.
 *
 * @since 0.1.0
 * @category layers
 */
export const probe: Layer.Layer<TransactorProbe, never, MemoryDatabase> = Layer.effect(
  TransactorProbe,
  Effect.map(Effect.service(MemoryDatabase), (database) =>
    TransactorProbe.of({
      reset: database.modify(probeRows, () => [undefined, []] as const),
      write: (value) => database.modify(probeRows, (values) => [undefined, [...values, value]] as const),
      readAll: Effect.map(database.read(probeRows), (values) => [...values].sort())
    })
  )
)
