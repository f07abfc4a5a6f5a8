/**
 * The light clients: the same groups and methods as the Promise client, one import per group,
 * with no Effect code. They send JSON with `fetch` through the same transport (retries,
 * idempotency keys, deadlines) and keep the same session, but leave checking requests to the
 * server and answer the JSON as sent: times are ISO strings.
 *
 * @since 0.1.0
 */
import type { DateTime, Effect } from "effect"
import type { HttpClientResponse } from "effect/http/HttpClientResponse"
import { type Returned, start } from "./Calls.ts"
import type { ClientOptions } from "./RotaClient.ts"
import { clientProblem, fromBody, transportCode } from "./RotaProblem.ts"
import { keep } from "./Sessions.ts"
import type { TimeInput } from "./TimeInput.ts"
import { policyFetch, type RequestOptions, type ResponseInfo, type TransportOptions } from "./Transport.ts"

/**
 * `T` as JSON carries it: times are ISO 8601 strings.
 *
 * @since 0.1.0
 * @category models
 */
export type Wire<T> = T extends string | number | boolean | bigint | symbol | null | undefined
  ? T
  : T extends DateTime.DateTime
    ? string
    : T extends ReadonlyArray<infer I>
      ? ReadonlyArray<Wire<I>>
      : T extends object
        ? { readonly [K in keyof T]: Wire<T[K]> }
        : T

type Answer<A> = Exclude<A, HttpClientResponse | readonly [unknown, HttpClientResponse]>

type RequestOf<R> = R extends object ? TimeInput<Omit<R, "responseMode">> : R

/**
 * The light client of one group of the Effect client `C`.
 *
 * @since 0.1.0
 * @category models
 */
export type LiteGroup<C> = {
  readonly [K in keyof C]: C[K] extends (...args: infer Args) => Effect.Effect<infer A, infer _E, infer _R>
    ? (
        ...args: [...{ [I in keyof Args]: RequestOf<Args[I]> }, options?: RequestOptions]
      ) => Returned<Wire<Answer<A>>>
    : never
}

/**
 * @since 0.1.0
 * @category models
 */
export interface LiteOptions
  extends TransportOptions,
    Pick<ClientOptions, "baseUrl" | "credentials" | "apiKey"> {
  readonly orgId?: string | undefined
  readonly accessToken?: string | undefined
  readonly refreshToken?: string | undefined
}

/**
 * What the groups of one app share: where the API is, the session, the transport.
 *
 * @since 0.1.0
 * @category models
 */
export interface Connection {
  /** The current session; set `orgId` to switch organisation. */
  readonly session: {
    accessToken: string | undefined
    refreshToken: string | undefined
    orgId: string | undefined
  }
  /** The answer of the last call that got one. */
  readonly lastResponse: ResponseInfo | undefined
  /** Trades the refresh token (or the browser's refresh cookie) for new tokens; shared by calls refused together. */
  readonly refreshSession: () => Promise<void>
  /**
   * Sends one request of the route `method path`; the payload goes as JSON, or as the text it
   * is when the route takes a text `payloadType` (a CSV import).
   */
  readonly send: (
    method: string,
    path: string,
    request: unknown,
    options: RequestOptions | undefined,
    payloadType?: string | undefined
  ) => Promise<{ readonly data: unknown; readonly response: ResponseInfo }>
}

// Method, path, and the media type of a text payload when the route takes one.
type Routes = Readonly<Record<string, readonly [string, string] | readonly [string, string, string]>>

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null

const isDateTime = (value: unknown): value is { readonly epochMilliseconds: number } =>
  isRecord(value) && typeof value.epochMilliseconds === "number"

const queryValue = (value: unknown): string =>
  Array.isArray(value)
    ? value.map(queryValue).join(",")
    : value instanceof Date
      ? value.toISOString()
      : isDateTime(value)
        ? new Date(value.epochMilliseconds).toISOString()
        : String(value)

// Effect's DateTime values go out as ISO strings, like `Date`s do.
function replacer(this: unknown, key: string, value: unknown) {
  const original = isRecord(this) ? this[key] : undefined
  return isDateTime(original) ? new Date(original.epochMilliseconds).toISOString() : value
}

// JSON answers are parsed; a text answer (a calendar feed) is answered as its text.
const readBody = async (response: Response): Promise<unknown> => {
  const text = await response.text()
  if (text === "") return undefined
  return (response.headers.get("content-type") ?? "").startsWith("text/") ? text : JSON.parse(text)
}

// The route's path with its parameters filled in, and the query's defined values.
const urlOf = (baseUrl: string, path: string, parts: Record<string, unknown>): URL => {
  const params = isRecord(parts.params) ? parts.params : {}
  const url = new URL(
    path.replace(/:(\w+)/g, (_, name: string) => encodeURIComponent(String(params[name]))),
    baseUrl
  )
  if (isRecord(parts.query))
    for (const [key, value] of Object.entries(parts.query))
      if (value !== undefined) url.searchParams.set(key, queryValue(value))
  return url
}

// A text payload (a CSV import) goes as is, with the route's media type; anything else as JSON.
const bodyOf = (payload: unknown, payloadType: string | undefined, headers: Headers): BodyInit | null => {
  if (payloadType !== undefined && typeof payload === "string") {
    headers.set("content-type", payloadType)
    return payload
  }
  if (payload === undefined) return null
  headers.set("content-type", "application/json")
  return JSON.stringify(payload, replacer)
}

/**
 * Connects to the API; pass the connection to each group's factory.
 *
 * @example
 * ```ts
 * import { auth, bookings, connect } from "@rota/sdk-client/lite"
 *
 * const rota = connect({ baseUrl: "https://api.example.com" })
 * await auth(rota).login({ payload: { login, password } })
 * for await (const booking of bookings(rota).list({ query: {} })) console.log(booking.startAt)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const connect = (options: LiteOptions): Connection => {
  const session = {
    accessToken: options.accessToken,
    refreshToken: options.refreshToken,
    orgId: options.orgId
  }
  let lastResponse: ResponseInfo | undefined

  const once = async (
    method: string,
    path: string,
    request: unknown,
    call: RequestOptions | undefined,
    payloadType?: string | undefined
  ) => {
    const parts = isRecord(request) ? request : {}
    const url = urlOf(options.baseUrl, path, parts)
    const headers = new Headers()
    if (isRecord(parts.headers))
      for (const [key, value] of Object.entries(parts.headers))
        if (value !== undefined) headers.set(key, String(value))
    const bearer = session.accessToken ?? options.apiKey
    if (bearer !== undefined) headers.set("authorization", `Bearer ${bearer}`)
    if (session.orgId !== undefined) headers.set("x-org-id", session.orgId)
    const body = bodyOf(parts.payload, payloadType, headers)
    let response: ResponseInfo | undefined
    const fetch = policyFetch(options, call, (info) => {
      response = info
      lastResponse = info
    })
    let answer: Response
    try {
      answer = await fetch(url, { method, headers, body, credentials: options.credentials ?? "include" })
    } catch (error) {
      throw clientProblem(transportCode(error), String(error), { cause: error })
    }
    let data: unknown
    try {
      data = await readBody(answer)
    } catch (error) {
      throw clientProblem("unexpected_response", String(error), { cause: error, status: answer.status })
    }
    if (!answer.ok)
      throw isRecord(data) && typeof data.code === "string"
        ? fromBody(data, answer.status, response?.requestId)
        : clientProblem("unexpected_response", `HTTP ${answer.status}`, { status: answer.status })
    return { data, response: response! }
  }

  const { refreshSession, withSession } = keep(session, (request) =>
    once("POST", "/v1/auth/refresh", request, undefined)
  )

  const send: Connection["send"] = (method, path, request, call, payloadType) =>
    withSession({ auth: path.startsWith("/v1/auth/"), logout: path === "/v1/auth/logout" }, () =>
      once(method, path, request, call, payloadType)
    )

  return {
    session,
    get lastResponse() {
      return lastResponse
    },
    refreshSession,
    send
  }
}

/**
 * The light client of a group, from its routes.
 *
 * @since 0.1.0
 * @category constructors
 */
export const group = <G>(connection: Connection, routes: Routes): G => {
  const methods: Record<string, unknown> = {}
  for (const [name, [method, path, payloadType]] of Object.entries(routes))
    methods[name] = (request: unknown, options?: RequestOptions) =>
      start((next) => connection.send(method, path, next, options, payloadType), request, name)
  return methods as G
}
