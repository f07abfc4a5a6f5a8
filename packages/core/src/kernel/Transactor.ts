/**
 * The port that makes a unit of work atomic. Every use case that writes runs its change, audit
 * event, outbox message and idempotency record inside one `withTransaction`.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"

/**
 * @since 0.1.0
 * @category services
 */
export class Transactor extends Context.Service<
  Transactor,
  {
    /**
     * Runs `effect` in one transaction: committed when it succeeds, rolled back when it fails,
     * dies or is interrupted. Called inside a transaction, it joins it: its writes commit or
     * roll back with the outer ones (use {@link savepoint} to recover from a failure inside).
     */
    readonly withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
    /**
     * Runs `effect` so that its failure undoes its own writes only: a savepoint inside a
     * transaction (the outer one goes on), a transaction of its own outside one. For work that
     * may be refused and then tried another way.
     */
    readonly savepoint: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  }
>()("@rota/core/Transactor") {
  /**
   * For in-memory adapters and pure tests, where there is nothing to commit.
   *
   * @since 0.1.0
   */
  static readonly layerNoop = Layer.succeed(
    Transactor,
    Transactor.of({
      withTransaction: Effect.fn("Transactor.withTransaction")(
        <A, E, R>(effect: Effect.Effect<A, E, R>) => effect
      ),
      savepoint: Effect.fn("Transactor.savepoint")(<A, E, R>(effect: Effect.Effect<A, E, R>) => effect)
    })
  )
}
