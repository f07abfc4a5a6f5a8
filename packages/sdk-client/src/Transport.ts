/**
 * What every request of the SDK goes through, whichever client sends it: one idempotency key per
 * logical call, retries with backoff that honour `Retry-After`, a deadline and an `AbortSignal`,
 * the user agent, and the answer's request id and headers kept for the caller. Plain TypeScript
 * over `fetch`, so the light clients stay free of Effect.
 *
 * @since 0.1.0
 */

/**
 * The SDK's version, sent in the user agent.
 *
 * @since 0.1.0
 * @category constants
 */
export const sdkVersion = "0.1.0"

/**
 * How a client sends requests; every field has a default.
 *
 * @since 0.1.0
 * @category models
 */
export interface TransportOptions {
  /** Retries after the first attempt (network failure, 409 `idempotency_in_progress`, 429, 503). Default 2. */
  readonly maxRetries?: number | undefined
  /** Milliseconds a whole call (its retries included) may take before it fails with `timeout`. Default 60 000. */
  readonly timeout?: number | undefined
  /** The longest wait between two attempts, in milliseconds; a longer `Retry-After` is not waited for. Default 20 000. */
  readonly maxRetryDelay?: number | undefined
  /** The `fetch` to send requests with; the platform's by default. */
  readonly fetch?: typeof globalThis.fetch | undefined
}

/**
 * Options of one call; they override the client's.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  /** Milliseconds this call may take, its retries included. */
  readonly timeout?: number | undefined
  /** Aborts the call: it rejects with `aborted` and is not retried. */
  readonly signal?: AbortSignal | undefined
  readonly maxRetries?: number | undefined
  /** The `Idempotency-Key` of an unsafe call; one is generated per call when absent. */
  readonly idempotencyKey?: string | undefined
  /**
   * Sends a write with `Prefer: dry-run`: the server answers what the write would answer
   * (validation, conflicts, computed fields) and keeps nothing. The answer's headers carry
   * `Preference-Applied: dry-run`.
   */
  readonly dryRun?: boolean | undefined
}

/**
 * The HTTP answer of a successful call.
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponseInfo {
  readonly status: number
  readonly headers: Headers
  /** The `X-Request-Id` the server logged the request under. */
  readonly requestId: string | undefined
  /** The `Idempotency-Key` the call was sent with, if it is unsafe. */
  readonly idempotencyKey: string | undefined
  /** How many times the request was sent (1 without retries). */
  readonly attempts: number
}

const unsafe = (method: string) => !["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase())

const isBrowser = () => typeof (globalThis as { document?: unknown }).document !== "undefined"

/**
 * `rota-sdk/<version> node/<version>`, or `undefined` in a browser: browsers either forbid
 * setting `User-Agent` or turn any extra header into a CORS preflight the API may refuse.
 *
 * @since 0.1.0
 * @category constants
 */
export const userAgent = (): string | undefined => {
  if (isBrowser()) return undefined
  const process = (globalThis as { process?: { versions?: { node?: string } } }).process
  const node = process?.versions?.node
  return node === undefined ? `rota-sdk/${sdkVersion}` : `rota-sdk/${sdkVersion} node/${node}`
}

const randomKey = (): string =>
  typeof globalThis.crypto?.randomUUID === "function"
    ? globalThis.crypto.randomUUID()
    : `${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`

/**
 * `Retry-After` in milliseconds: delta-seconds or an HTTP date; `undefined` when absent or
 * unreadable.
 *
 * @since 0.1.0
 * @category retries
 */
export const retryAfterMillis = (value: string | null, now = Date.now()): number | undefined => {
  if (value === null || value.trim() === "") return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * Exponential backoff with jitter for the retry after `attempt` failed ones (1, 2, ...): half of
 * the doubling delay is fixed, half random, so clients that failed together do not retry together.
 *
 * @since 0.1.0
 * @category retries
 */
export const backoffMillis = (attempt: number, cap: number): number => {
  const base = Math.min(cap, 500 * 2 ** (attempt - 1))
  return base / 2 + Math.random() * (base / 2)
}

const timeoutError = (ms: number) => new DOMException(`the call took longer than ${ms} ms`, "TimeoutError")
const abortError = () => new DOMException("the call was aborted", "AbortError")

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort)
      resolve()
    }, ms)
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal.reason)
    }
    signal.addEventListener("abort", onAbort, { once: true })
  })

// A 409 is retried only when the same key is still being processed: reading a copy of the body
// leaves the answer intact for the caller.
const inProgress = async (response: Response) => {
  if (response.status !== 409) return false
  try {
    const body: unknown = await response.clone().json()
    return (
      typeof body === "object" &&
      body !== null &&
      (body as { code?: unknown }).code === "idempotency_in_progress"
    )
  } catch {
    return false
  }
}

// A refresh token is good for one use and sign-in attempts are throttled: an auth request whose
// answer was lost is not sent again.
const retriesNetworkFailure = (method: string, url: string) =>
  !unsafe(method) || !new URL(url, "http://localhost").pathname.startsWith("/v1/auth/")

/**
 * A `fetch` that applies the transport policy. Each call of it is one logical call: its retries
 * reuse its idempotency key. `onResponse` sees every answer that is returned.
 *
 * @since 0.1.0
 * @category constructors
 */
export const policyFetch =
  (options: TransportOptions, call: RequestOptions = {}, onResponse?: (info: ResponseInfo) => void) =>
  async (input: RequestInfo | URL, init: RequestInit = {}): Promise<Response> => {
    const send = options.fetch ?? globalThis.fetch
    const maxRetries = Math.max(0, call.maxRetries ?? options.maxRetries ?? 2)
    const timeout = call.timeout ?? options.timeout ?? 60_000
    const maxDelay = options.maxRetryDelay ?? 20_000
    const method = (init.method ?? "GET").toUpperCase()
    const url = input instanceof Request ? input.url : String(input)

    const headers = new Headers(init.headers)
    let idempotencyKey: string | undefined
    if (unsafe(method)) {
      idempotencyKey = headers.get("idempotency-key") ?? call.idempotencyKey ?? randomKey()
      headers.set("idempotency-key", idempotencyKey)
      if (call.dryRun === true) headers.set("prefer", "dry-run")
    }
    const agent = userAgent()
    if (agent !== undefined && !headers.has("user-agent")) headers.set("user-agent", agent)

    const deadline = new AbortController()
    const timer = setTimeout(() => deadline.abort(timeoutError(timeout)), timeout)
    const signals = [deadline.signal, init.signal, call.signal].filter((s): s is AbortSignal => s != null)
    const signal = AbortSignal.any(signals)
    // Which cause ended the call: the deadline is a `timeout`, anything else an abort.
    const reason = () => (deadline.signal.aborted ? deadline.signal.reason : abortError())

    try {
      for (let attempt = 1; ; attempt++) {
        let response: Response
        try {
          response = await send(url, { ...init, method, headers, signal })
        } catch (error) {
          if (signal.aborted) throw reason()
          if (attempt > maxRetries || !retriesNetworkFailure(method, url)) throw error
          await sleep(backoffMillis(attempt, maxDelay), signal).catch(() => Promise.reject(reason()))
          continue
        }
        const retryable =
          response.status === 429 ||
          response.status === 503 ||
          (idempotencyKey !== undefined && (await inProgress(response)))
        if (retryable && attempt <= maxRetries) {
          const asked = retryAfterMillis(response.headers.get("retry-after"))
          const delay = asked ?? backoffMillis(attempt, maxDelay)
          if (delay <= maxDelay) {
            // The answer is dropped: free its connection.
            await response.body?.cancel().catch(() => undefined)
            await sleep(delay, signal).catch(() => Promise.reject(reason()))
            continue
          }
        }
        onResponse?.({
          status: response.status,
          headers: response.headers,
          requestId: response.headers.get("x-request-id") ?? undefined,
          idempotencyKey,
          attempts: attempt
        })
        return response
      }
    } finally {
      clearTimeout(timer)
    }
  }
