/**
 * The client for apps that don't use Effect: the same groups and methods, returning Promises
 * that reject with a {@link RotaProblem}. It keeps the session: tokens from `auth.login`,
 * `auth.register` and `auth.refresh` are remembered, and a call refused as `unauthenticated`
 * is retried once after refreshing the access token. Calls refused together share one refresh:
 * the server ends a session whose refresh token is used twice.
 *
 * @since 0.1.0
 */
import { Api } from "@rota/http/api"
import { Effect, ManagedRuntime, Predicate } from "effect"
import type { HttpClientResponse } from "effect/http/HttpClientResponse"
import { type Returned, start } from "./Calls.ts"
import { fromFailure, readUndeclared } from "./Failure.ts"
import { type ClientOptions, RotaClient } from "./RotaClient.ts"
import * as Sessions from "./Sessions.ts"
import { coerceRequest, type EndpointSchemas, type TimeInput } from "./TimeInput.ts"
import type { RequestOptions, ResponseInfo } from "./Transport.ts"

type Answer<A> = Exclude<A, HttpClientResponse | readonly [unknown, HttpClientResponse]>

/**
 * The Effect client's shape with every method returning a Promise, taking times as `DateTime.Utc`,
 * ISO strings or `Date`s, and {@link RequestOptions} after its request.
 *
 * @since 0.1.0
 * @category models
 */
export type Promisified<C> = {
  readonly [K in keyof C]: C[K] extends (...args: infer Args) => Effect.Effect<infer A, infer _E, infer _R>
    ? (
        ...args: [...{ [I in keyof Args]: TimeInput<Args[I]> }, options?: RequestOptions]
      ) => Returned<Answer<A>>
    : Promisified<C[K]>
}

/**
 * The tokens and organisation the client sends.
 *
 * @since 0.1.0
 * @category models
 */
export type Session = Sessions.Session

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
  /** The answer of the last call that got one: status, headers, request id. */
  readonly lastResponse: ResponseInfo | undefined
  /** Releases the client's resources. */
  readonly dispose: () => Promise<void>
}

/**
 * @since 0.1.0
 * @category models
 */
export interface PromiseClientOptions
  extends Pick<
    ClientOptions,
    | "baseUrl"
    | "propagateTracing"
    | "credentials"
    | "fetch"
    | "maxRetries"
    | "timeout"
    | "maxRetryDelay"
    | "apiKey"
  > {
  readonly orgId?: string | undefined
  readonly accessToken?: string | undefined
  readonly refreshToken?: string | undefined
}

// The endpoint a property path names, to read where its times are.
interface GroupSchemas {
  readonly identifier: string
  readonly topLevel: boolean
  readonly endpoints: Readonly<Record<string, EndpointSchemas>>
}

const endpointAt = (path: ReadonlyArray<string>): EndpointSchemas | undefined => {
  const groups = Object.values(Api.groups) as unknown as ReadonlyArray<GroupSchemas>
  if (path.length === 1)
    return groups.filter((group) => group.topLevel).find((group) => path[0]! in group.endpoints)?.endpoints[
      path[0]!
    ]
  const group = groups.find((candidate) => candidate.identifier === path[0] && !candidate.topLevel)
  return group?.endpoints[path[1]!]
}

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

  let lastResponse: ResponseInfo | undefined
  const invoke = (path: ReadonlyArray<string>, request: unknown, options: RequestOptions | undefined) => {
    let response: ResponseInfo | undefined
    return runtime
      .runPromise(
        Effect.flatMap(Effect.service(RotaClient), (client) => {
          let target: unknown = client
          for (const key of path) target = (target as Record<string, unknown>)[key]
          const endpoint = endpointAt(path)
          const coerced = endpoint === undefined ? request : coerceRequest(endpoint, request)
          return (target as (...args: Array<unknown>) => Effect.Effect<unknown, unknown>)(
            ...(coerced === undefined ? [] : [coerced])
          )
        }).pipe(
          RotaClient.withRequestOptions({
            ...options,
            onResponse: (info) => {
              response = info
              lastResponse = info
            }
          }),
          Effect.catch(readUndeclared),
          Effect.mapError(fromFailure)
        )
      )
      .then((data) => ({ data, response: response! }))
  }

  const { refreshSession, withSession } = Sessions.keep(session, (request) =>
    invoke(["auth", "refresh"], request, undefined)
  )

  const call = (path: ReadonlyArray<string>, request: unknown, options: RequestOptions | undefined) =>
    withSession({ auth: path[0] === "auth", logout: path[0] === "auth" && path[1] === "logout" }, () =>
      invoke(path, request, options)
    )

  // One proxy per property path: `rota.members.list(...)` resolves the same path on the Effect
  // client at call time, so the facade never lists endpoints by hand.
  const wrap = (path: ReadonlyArray<string>): unknown =>
    new Proxy(() => undefined, {
      get: (_, key) => {
        if (!Predicate.isString(key) || key === "then") return undefined
        if (path.length === 0 && key === "dispose") return dispose
        if (path.length === 0 && key === "session") return session
        if (path.length === 0 && key === "refreshSession") return refreshSession
        if (path.length === 0 && key === "lastResponse") return lastResponse
        return wrap([...path, key])
      },
      apply: (_, __, args: Array<unknown>) =>
        start(
          (request) => call(path, request, args[1] as RequestOptions | undefined),
          args[0],
          path.join(".")
        )
    })
  return wrap([]) as PromiseClient
}
