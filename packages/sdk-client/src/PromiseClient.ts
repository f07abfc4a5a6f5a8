/**
 * The client for apps that don't use Effect: the same groups and methods, returning Promises
 * that reject with a {@link RotaProblem}. It keeps the session: tokens from `auth.login`,
 * `auth.register` and `auth.refresh` are remembered, and a call refused as `unauthenticated`
 * is retried once after refreshing the access token. Calls refused together share one refresh:
 * the server ends a session whose refresh token is used twice.
 *
 * @since 0.1.0
 */
import { Effect, ManagedRuntime, Predicate } from "effect"
import type { HttpClientResponse } from "effect/http/HttpClientResponse"
import { type ClientOptions, RotaClient } from "./RotaClient.ts"
import { fromFailure, RotaProblem } from "./RotaProblem.ts"

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
 * The tokens and organisation the client sends.
 *
 * @since 0.1.0
 * @category models
 */
export interface Session {
  accessToken: string | undefined
  refreshToken: string | undefined
  orgId: string | undefined
}

/**
 * @since 0.1.0
 * @category models
 */
export type PromiseClient = Promisified<RotaClient["Service"]> & {
  /** The current session; set `orgId` to switch organisation. */
  readonly session: Session
  /**
   * Trades the refresh token for new tokens, or, with none in the session, the refresh cookie
   * the browser keeps; joins a refresh already under way instead of sending a second one.
   */
  readonly refreshSession: () => Promise<void>
  /** Releases the client's resources. */
  readonly dispose: () => Promise<void>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface PromiseClientOptions
  extends Pick<ClientOptions, "baseUrl" | "propagateTracing" | "credentials" | "fetch"> {
  readonly orgId?: string | undefined
  readonly accessToken?: string | undefined
  readonly refreshToken?: string | undefined
}

const tokenFields = (value: unknown) =>
  Predicate.isObject(value) && "accessToken" in value && "refreshToken" in value
    ? { accessToken: String(value.accessToken), refreshToken: String(value.refreshToken) }
    : undefined

/**
 * Creates a Promise client.
 *
 * @example
 * ```ts
 * const rota = createClient({ baseUrl: "http://127.0.0.1:3000" })
 * await rota.auth.login({ payload: { login: "cat", password: "rota-demo-2026" } })
 * const me = await rota.auth.me()
 * rota.session.orgId = me.memberships[0]?.orgId
 * const clients = await rota.clients.list({ query: {} })
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const createClient = (options: PromiseClientOptions): PromiseClient => {
  const session: Session = {
    accessToken: options.accessToken,
    refreshToken: options.refreshToken,
    orgId: options.orgId
  }
  const clientOptions: ClientOptions = {
    ...options,
    orgId: () => session.orgId,
    accessToken: () => session.accessToken
  }
  const runtime = ManagedRuntime.make(RotaClient.layer(clientOptions))
  const dispose = () => runtime.dispose()

  const invoke = (path: ReadonlyArray<string>, args: Array<unknown>) =>
    runtime.runPromise(
      Effect.flatMap(Effect.service(RotaClient), (client) => {
        let target: unknown = client
        for (const key of path) target = (target as Record<string, unknown>)[key]
        return (target as (...args: Array<unknown>) => Effect.Effect<unknown, unknown>)(...args)
      }).pipe(Effect.mapError(fromFailure))
    )

  let refreshing: Promise<void> | undefined
  const refreshSession = (): Promise<void> => {
    refreshing ??= invoke(
      ["auth", "refresh"],
      [
        {
          payload: session.refreshToken === undefined ? {} : { refreshToken: session.refreshToken },
          // Proves to the server that this page sent the request, so it accepts the cookie.
          headers: { "x-requested-with": "rota" }
        }
      ]
    )
      .then((answer) => {
        const tokens = tokenFields(answer)
        if (tokens !== undefined) Object.assign(session, tokens)
      })
      .finally(() => {
        refreshing = undefined
      })
    return refreshing
  }

  const call = async (path: ReadonlyArray<string>, args: Array<unknown>): Promise<unknown> => {
    const isAuthRoute = path[0] === "auth"
    const sentToken = session.accessToken
    try {
      const result = await invoke(path, args)
      const tokens = tokenFields(result)
      if (isAuthRoute && tokens !== undefined) Object.assign(session, tokens)
      if (isAuthRoute && path[1] === "logout")
        Object.assign(session, { accessToken: undefined, refreshToken: undefined })
      return result
    } catch (error) {
      if (!(error instanceof RotaProblem && error.code === "unauthenticated" && !isAuthRoute)) throw error
      // An expired access token: refresh once, then try the call again. A call that was sent
      // with a token another call has since replaced just tries again with the new one.
      if (session.accessToken === sentToken) {
        const refreshed = await refreshSession().then(
          () => true,
          () => false
        )
        if (!refreshed) throw error
      }
      return invoke(path, args)
    }
  }

  // One proxy per property path: `rota.members.list(...)` resolves the same path on the Effect
  // client at call time, so the facade never lists endpoints by hand.
  const wrap = (path: ReadonlyArray<string>): unknown =>
    new Proxy(() => undefined, {
      get: (_, key) => {
        if (!Predicate.isString(key) || key === "then") return undefined
        if (path.length === 0 && key === "dispose") return dispose
        if (path.length === 0 && key === "session") return session
        if (path.length === 0 && key === "refreshSession") return refreshSession
        return wrap([...path, key])
      },
      apply: (_, __, args: Array<unknown>) => call(path, args)
    })
  return wrap([]) as PromiseClient
}
