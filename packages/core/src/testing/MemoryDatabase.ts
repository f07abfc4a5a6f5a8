/**
 * One in-memory database that every memory adapter stores its tables in, so that a memory
 * `Transactor` can commit or roll back all of them together, as PostgreSQL does.
 *
 * Tables hold immutable values (maps and arrays replaced on every write). A transaction works on
 * its own copy of the table map and publishes it on commit; a failure, defect or interruption
 * simply drops the copy. Transactions run one at a time (serializable, as one connection would),
 * reads outside a transaction see only committed tables, and a write outside a transaction commits
 * on its own, waiting for any open transaction first so that no commit overwrites it.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer, Result, Semaphore } from "effect"

/**
 * A named table and its value when nothing was written yet.
 *
 * @since 0.1.0
 * @category models
 */
export interface Table<A> {
  readonly name: string
  readonly empty: A
}

/**
 * @since 0.1.0
 * @category constructors
 */
export const table = <A>(name: string, empty: A): Table<A> => ({ name, empty })

/**
 * A table of rows by key, the shape most memory adapters use.
 *
 * @since 0.1.0
 * @category constructors
 */
export const rows = <A>(name: string): Table<ReadonlyMap<string, A>> => table(name, new Map<string, A>())

// The transaction a fiber runs in, if any, and the database it belongs to: a fiber of one
// database's transaction writes to another database (in another test) on its own.
interface Open {
  readonly database: object
  tables: Map<string, unknown>
}

const CurrentTransaction = Context.Reference<Open | undefined>("@rota/core/testing/MemoryDatabase/Current", {
  defaultValue: () => undefined
})

/**
 * @since 0.1.0
 * @category services
 */
export class MemoryDatabase extends Context.Service<
  MemoryDatabase,
  {
    /** The table as the caller's transaction sees it, or as last committed outside one. */
    readonly read: <A>(table: Table<A>) => Effect.Effect<A>
    /**
     * Replaces the table with what `f` makes of it, and answers `f`'s result, in one step: no
     * other write comes between the read and the write.
     */
    readonly modify: <A, B>(table: Table<A>, f: (current: A) => readonly [B, A]) => Effect.Effect<B>
    /** All of `effect`'s writes or none; called inside a transaction, joins it. */
    readonly transaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
    /** Undoes only `effect`'s writes when it fails; a transaction of its own outside one. */
    readonly savepoint: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  }
>()("@rota/core/testing/MemoryDatabase") {}

const make = (): MemoryDatabase["Service"] => {
  const database = {}
  let committed = new Map<string, unknown>()
  const writer = Semaphore.makeUnsafe(1)

  const openHere = Effect.map(Effect.service(CurrentTransaction), (open) =>
    open?.database === database ? open : undefined
  )

  const valueIn = <A>(tables: ReadonlyMap<string, unknown>, table: Table<A>): A =>
    tables.has(table.name) ? (tables.get(table.name) as A) : table.empty

  const apply = <A, B>(tables: Map<string, unknown>, table: Table<A>, f: (current: A) => readonly [B, A]) => {
    const [result, next] = f(valueIn(tables, table))
    tables.set(table.name, next)
    return result
  }

  const transaction = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(openHere, (open) => {
      if (open !== undefined) return effect
      return writer.withPermit(
        Effect.suspend(() => {
          const working: Open = { database, tables: new Map(committed) }
          return effect.pipe(
            Effect.provideService(CurrentTransaction, working),
            Effect.tap(() =>
              Effect.sync(() => {
                committed = working.tables
              })
            )
          )
        })
      )
    })

  const savepoint = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
    Effect.flatMap(openHere, (open) => {
      if (open === undefined) return transaction(effect)
      const before = new Map(open.tables)
      return Effect.onError(effect, () =>
        Effect.sync(() => {
          open.tables = before
        })
      )
    })

  return {
    read: <A>(table: Table<A>) =>
      Effect.map(openHere, (open) => valueIn(open === undefined ? committed : open.tables, table)),
    modify: <A, B>(table: Table<A>, f: (current: A) => readonly [B, A]) =>
      Effect.flatMap(openHere, (open) =>
        open !== undefined
          ? Effect.sync(() => apply(open.tables, table, f))
          : writer.withPermit(Effect.sync(() => apply(committed, table, f)))
      ),
    transaction,
    savepoint
  }
}

/**
 * A fresh, empty database.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<MemoryDatabase> = Layer.sync(MemoryDatabase, () => MemoryDatabase.of(make()))

/**
 * Reads a table of the database in the context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const read = <A>(table: Table<A>): Effect.Effect<A, never, MemoryDatabase> =>
  Effect.flatMap(Effect.service(MemoryDatabase), (database) => database.read(table))

/**
 * Rewrites a table of the database in the context.
 *
 * @since 0.1.0
 * @category accessors
 */
export const modify = <A, B>(
  table: Table<A>,
  f: (current: A) => readonly [B, A]
): Effect.Effect<B, never, MemoryDatabase> =>
  Effect.flatMap(Effect.service(MemoryDatabase), (database) => database.modify(table, f))

/**
 * A change that may be refused, as a constraint refuses a statement: `f` answers the result and
 * the new table, or the error, in which case the table stays as it was.
 *
 * @since 0.1.0
 * @category accessors
 */
export const attempt = <A, B, E>(
  database: MemoryDatabase["Service"],
  table: Table<A>,
  f: (current: A) => Result.Result<readonly [B, A], E>
): Effect.Effect<B, E> =>
  Effect.flatMap(
    database.modify(table, (current): readonly [Result.Result<B, E>, A] => {
      const outcome = f(current)
      return Result.isSuccess(outcome)
        ? [Result.succeed(outcome.success[0]), outcome.success[1]]
        : [Result.fail(outcome.failure), current]
    }),
    Effect.fromResult
  )

/**
 * A copy of `rows` with `row` stored under `key`.
 *
 * @since 0.1.0
 * @category tables
 */
export const put = <A>(rows: ReadonlyMap<string, A>, key: string, row: A): ReadonlyMap<string, A> =>
  new Map(rows).set(key, row)

/**
 * A copy of `rows` without `keys`.
 *
 * @since 0.1.0
 * @category tables
 */
export const remove = <A>(rows: ReadonlyMap<string, A>, keys: Iterable<string>): ReadonlyMap<string, A> => {
  const next = new Map(rows)
  for (const key of keys) next.delete(key)
  return next
}
