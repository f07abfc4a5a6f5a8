/**
 * Request metrics exported on `/metrics` in Prometheus text format.
 *
 * The edge updates them synchronously, from the request's own context: going through
 * `Metric.update` costs an effect per metric, and a counter tagged per request
 * (`Metric.withAttributes`) copies the context and rebuilds its series key on every update.
 *
 * @since 0.1.0
 */
import type { Context } from "effect"
import { Metric } from "effect"

const requestsName = "rota_http_requests_total"
const requestsDescription = "HTTP requests answered"
const duration = Metric.histogram("rota_http_request_duration_seconds", {
  description: "Time to answer an HTTP request",
  boundaries: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]
})
const inFlight = Metric.gauge("rota_http_requests_in_flight", { description: "HTTP requests being answered" })

// One counter per (method, status) pair, its attributes fixed when built, so its series key is
// computed once.
const counters = new Map<string, Metric.Counter<number>>()
const counterFor = (method: string, status: number) => {
  const key = `${method} ${status}`
  let counter = counters.get(key)
  if (counter === undefined) {
    counter = Metric.counter(requestsName, {
      description: requestsDescription,
      attributes: { method, status: String(status) }
    })
    counters.set(key, counter)
  }
  return counter
}

let current = 0

/**
 * A request has arrived.
 *
 * @since 0.1.0
 * @category metrics
 */
export const started = (context: Context.Context<never>): void => inFlight.updateUnsafe(++current, context)

/**
 * A request has been answered with `status` after `seconds`.
 *
 * @since 0.1.0
 * @category metrics
 */
export const finished = (
  context: Context.Context<never>,
  method: string,
  status: number,
  seconds: number
): void => {
  counterFor(method, status).updateUnsafe(1, context)
  duration.updateUnsafe(seconds, context)
  inFlight.updateUnsafe(--current, context)
}
