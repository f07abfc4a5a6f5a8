/**
 * The port that makes a unit of work atomic. Every use case that writes runs its change, audit
 * event, outbox message and idempotency record inside one `withTransaction`.
 *
 * @since 0.1.0
 */
import { Context, type Effect, Layer } from "effect"

/**
 * @since 0.1.0
 * @category services
 */
export class Transactor extends Context.Service<
  Transactor,
  {
    /**
     * Runs `effect` in one transaction: committed when it succeeds, rolled back when it fails,
     * dies or is interrupted. Nested calls join the outer transaction (as savepoints).
     */
    readonly withTransaction: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  }
>()("@rota/core/Transactor") {
  /**
   * For in-memory adapters and pure tests, where there is nothing to commit.
   *
   * @since 0.1.0
   */
  static readonly layerNoop = Layer.succeed(
    Transactor,
    Transactor.of({ withTransaction: (effect) => effect })
  )
}
