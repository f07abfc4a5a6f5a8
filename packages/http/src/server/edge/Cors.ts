/**
 * CORS for the origins in `ROTA_CORS_ORIGINS`; with none configured, browsers on other origins
 * are refused by their own same-origin policy. The lists below are every header the SDK may send
 * and every response header it reads: a header missing here fails the browser's preflight, and
 * the call surfaces as a network error with no answer to read.
 *
 * @since 0.1.0
 */
import { Effect, Layer } from "effect"
import { HttpRouter } from "effect/http"
import { ServerConfig } from "../ServerConfig.ts"

/**
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.unwrap(
  Effect.map(Effect.service(ServerConfig), ({ corsOrigins }) =>
    corsOrigins.length === 0
      ? Layer.empty
      : HttpRouter.cors({
          allowedOrigins: corsOrigins,
          allowedHeaders: [
            "authorization",
            "content-type",
            "x-org-id",
            "idempotency-key",
            "if-match",
            "if-none-match",
            "prefer",
            "x-request-id",
            "x-requested-with",
            // Trace context, sent only when a client turns propagation on.
            "traceparent",
            "tracestate",
            "b3"
          ],
          exposedHeaders: [
            "etag",
            "location",
            "x-request-id",
            "idempotency-replayed",
            "preference-applied",
            "retry-after",
            "ratelimit-limit",
            "ratelimit-remaining",
            "ratelimit-reset"
          ],
          credentials: true,
          maxAge: 600
        })
  )
)
