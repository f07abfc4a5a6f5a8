/**
 * The client for apps that don't use Effect: the same groups and methods, returning Promises
 * that reject with a {@link RotaProblem}.
 *
 * @since 0.1.0
 */
import { Effect, ManagedRuntime, Predicate } from "effect"
import type { HttpClientResponse } from "effect/http/HttpClientResponse"
import { type ClientOptions, RotaClient } from "./RotaClient.ts"
import { fromFailure } from "./RotaProblem.ts"

/**
 * The Effect client's shape with every method returning a Promise.
 *
 * @since 0.1.0
 * @category models
 */
export type Promisified<C> = {
  readonly [K in keyof C]: C[K] extends (...args: infer Args) => Effect.Effect<infer A, infer _E, infer _R>
    ? (...args: Args) => Promise<Exclude<A, HttpClientResponse | readonly [unknown, HttpClientResponse]>>
    : Promisified<C[K]>
}

/**
 * @since 0.1.0
 * @category models
 */
export type PromiseClient = Promisified<RotaClient["Service"]> & {
  /** Releases the client's resources. */
  readonly dispose: () => Promise<void>
}

/**
 * Creates a Promise client.
 *
 * @example
 * ```ts
 * const rota = createClient({ baseUrl: "http://127.0.0.1:3000" })
 * const { status } = await rota.health()
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const createClient = (options: ClientOptions): PromiseClient => {
  const runtime = ManagedRuntime.make(RotaClient.layer(options))
  const dispose = () => runtime.dispose()
  const call = (path: ReadonlyArray<string>, args: Array<unknown>) =>
    runtime.runPromise(
      Effect.flatMap(Effect.service(RotaClient), (client) => {
        let target: unknown = client
        for (const key of path) target = (target as Record<string, unknown>)[key]
        return (target as (...args: Array<unknown>) => Effect.Effect<unknown, unknown>)(...args)
      }).pipe(Effect.mapError(fromFailure))
    )
  // One proxy per property path: `rota.system.health(...)` resolves the same path on the
  // Effect client at call time, so the facade never lists endpoints by hand.
  const wrap = (path: ReadonlyArray<string>): unknown =>
    new Proxy(() => undefined, {
      get: (_, key) => {
        if (!Predicate.isString(key) || key === "then") return undefined
        if (path.length === 0 && key === "dispose") return dispose
        return wrap([...path, key])
      },
      apply: (_, __, args: Array<unknown>) => call(path, args)
    })
  return wrap([]) as PromiseClient
}
