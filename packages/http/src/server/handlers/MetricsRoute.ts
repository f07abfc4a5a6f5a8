/**
 * `GET /metrics`: Prometheus text, optionally behind a bearer token (`ROTA_METRICS_TOKEN`);
 * `ROTA_METRICS=off` leaves the route out (404).
 *
 * @since 0.1.0
 */
import { timingSafeEqual } from "node:crypto"
import { Effect, Redacted } from "effect"
import { HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import { PrometheusMetrics } from "effect/observability"
import { ServerConfig } from "../ServerConfig.ts"

const sameSecret = (given: string, expected: string) => {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

/**
 * @since 0.1.0
 * @category routes
 */
export const layer = HttpRouter.use(
  Effect.fnUntraced(function* (router) {
    const config = yield* ServerConfig
    if (!config.metrics) return
    const token = config.metricsToken === undefined ? undefined : Redacted.value(config.metricsToken)
    yield* router.add(
      "GET",
      "/metrics",
      Effect.gen(function* () {
        if (token !== undefined) {
          const request = yield* HttpServerRequest.HttpServerRequest
          const given = (request.headers.authorization ?? "").replace(/^Bearer /i, "")
          if (!sameSecret(given, token)) return HttpServerResponse.empty({ status: 401 })
        }
        return HttpServerResponse.text(yield* PrometheusMetrics.format(), {
          contentType: "text/plain; version=0.0.4; charset=utf-8"
        })
      })
    )
  })
)
