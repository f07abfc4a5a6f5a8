/**
 * HTTP load with autocannon, and the figures the table needs. Latencies are taken from every
 * response (autocannon's own histogram rounds to whole milliseconds, too coarse for a 1 ms page)
 * and statuses are counted one by one, so a run can tell a clash (409, expected when booking)
 * from a failure (5xx, 429, anything unexpected, transport errors).
 */
import autocannon from "autocannon"

/**
 * What one load run measured.
 */
export interface Figures {
  /** Completed requests per second, any status. */
  readonly requestsPerSecond: number
  /** Requests per second that got the success status (201 for creates, 200 otherwise). */
  readonly okPerSecond: number
  readonly p50: number
  readonly p99: number
  readonly statuses: Readonly<Record<string, number>>
  /** Requests that invalidate the run: 5xx, 429, an unexpected status, errors and timeouts. */
  readonly failures: number
}

export interface LoadOptions {
  readonly url: string
  readonly connections: number
  readonly seconds: number
  readonly method?: "GET" | "POST"
  readonly headers?: Record<string, string>
  /** Builds each request's body and extra headers, for requests that must differ (idempotency keys). */
  readonly next?: () => { readonly body: string; readonly headers: Record<string, string> }
  /** The success status; the others listed in `tolerated` are counted but are not failures. */
  readonly ok?: number
  readonly tolerated?: ReadonlyArray<number>
}

const percentile = (sorted: Float64Array, fraction: number) =>
  sorted.length === 0
    ? Number.NaN
    : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!

/**
 * Runs `connections` keep-alive connections against `url` for `seconds`.
 */
export const load = (options: LoadOptions): Promise<Figures> =>
  new Promise((resolve, reject) => {
    const ok = options.ok ?? 200
    const tolerated = new Set([ok, ...(options.tolerated ?? [])])
    const latencies: Array<number> = []
    const statuses: Record<string, number> = {}
    const next = options.next
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.seconds,
        method: options.method ?? "GET",
        headers: options.headers ?? {},
        timeout: 5,
        ...(next === undefined
          ? {}
          : {
              requests: [
                {
                  setupRequest: (request) => {
                    const { body, headers } = next()
                    return { ...request, body, headers: { ...request.headers, ...headers } }
                  }
                }
              ]
            })
      },
      (error, result) => {
        if (error) return reject(error)
        const sorted = Float64Array.from(latencies).sort()
        const seconds = result.duration
        const unexpected = Object.entries(statuses)
          .filter(([status]) => !tolerated.has(Number(status)))
          .reduce((sum, [, count]) => sum + count, 0)
        resolve({
          requestsPerSecond: latencies.length / seconds,
          okPerSecond: (statuses[ok] ?? 0) / seconds,
          p50: percentile(sorted, 0.5),
          p99: percentile(sorted, 0.99),
          statuses,
          failures: unexpected + result.errors + result.timeouts
        })
      }
    )
    instance.on("response", (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime)
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1
    })
  })

/**
 * The median of each figure over several runs; failures and statuses are summed, since one
 * failed request anywhere invalidates the figure.
 */
export const medianOf = (runs: ReadonlyArray<Figures>): Figures => {
  const median = (pick: (figures: Figures) => number) => {
    const sorted = runs.map(pick).sort((a, b) => a - b)
    return sorted[Math.floor(sorted.length / 2)]!
  }
  const statuses: Record<string, number> = {}
  for (const run of runs) {
    for (const [status, count] of Object.entries(run.statuses))
      statuses[status] = (statuses[status] ?? 0) + count
  }
  return {
    requestsPerSecond: median((f) => f.requestsPerSecond),
    okPerSecond: median((f) => f.okPerSecond),
    p50: median((f) => f.p50),
    p99: median((f) => f.p99),
    statuses,
    failures: runs.reduce((sum, run) => sum + run.failures, 0)
  }
}
