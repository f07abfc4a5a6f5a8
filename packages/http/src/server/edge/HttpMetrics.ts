/**
 * Request metrics exported on `/metrics` in Prometheus text format.
 *
 * @since 0.1.0
 */
import { Effect, Metric } from "effect"

const requests = Metric.counter("rota_http_requests_total", { description: "HTTP requests answered" })
const duration = Metric.histogram("rota_http_request_duration_seconds", {
  description: "Time to answer an HTTP request",
  boundaries: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
})
const inFlight = Metric.gauge("rota_http_requests_in_flight", { description: "HTTP requests being answered" })

// One tagged counter per (method, status) pair, built once: tagging on every request would
// allocate a new metric key each time.
const tagged = new Map<string, Metric.Counter<number>>()
const counterFor = (method: string, status: number) => {
  const key = `${method} ${status}`
  let counter = tagged.get(key)
  if (counter === undefined) {
    counter = Metric.withAttributes(requests, { method, status: String(status) })
    tagged.set(key, counter)
  }
  return counter
}

let current = 0

/**
 * Counts a request as started.
 *
 * @since 0.1.0
 * @category recording
 */
export const started: Effect.Effect<void> = Effect.suspend(() => Metric.update(inFlight, ++current))

/**
 * Records a finished request.
 *
 * @since 0.1.0
 * @category recording
 */
export const finished = (method: string, status: number, seconds: number): Effect.Effect<void> =>
  Effect.all(
    [
      Metric.update(counterFor(method, status), 1),
      Metric.update(duration, seconds),
      Metric.update(inFlight, --current)
    ],
    {
      discard: true
    }
  )
