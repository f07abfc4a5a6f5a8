/**
 * The lines the edge logs for each request: the access log line (when `accessLog` is on) and,
 * for a refused request, a security event.
 *
 * @since 0.1.0
 */
import type { HttpServerRequest } from "effect/http"
import type { LogSink } from "../adapters/LogSink.ts"
import * as LogSink_ from "../adapters/LogSink.ts"
import type { Settings } from "../ServerConfig.ts"
import * as ClientAddress from "./ClientAddress.ts"
import * as SecretPaths from "./SecretPaths.ts"
import * as SecurityEvents from "./SecurityEvents.ts"

/**
 * One answered request, as the log lines tell it.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
  readonly request: HttpServerRequest.HttpServerRequest
  readonly status: number
  readonly requestId: string
  readonly seconds: number
  readonly facts: SecurityEvents.Facts
  readonly trace: LogSink_.TraceIds | undefined
}

/**
 * Writes the lines of one request to `sink`.
 *
 * @since 0.1.0
 * @category logging
 */
export const write = (
  sink: LogSink["Service"],
  config: Settings,
  trustedProxies: ClientAddress.TrustedProxies,
  { request, status, requestId, seconds, facts, trace }: Entry
): void => {
  // Who made the request, when authentication told: ids only, never names or tokens.
  const who = {
    ...(facts.accountId === undefined ? {} : { accountId: facts.accountId }),
    ...(facts.orgId === undefined ? {} : { orgId: facts.orgId })
  }
  if (config.accessLog) {
    sink.write(
      LogSink_.render(
        config.logFormat,
        "INFO",
        "request",
        {
          method: request.method,
          path: SecretPaths.redact(request.url),
          status,
          ms: Math.round(seconds * 100_000) / 100,
          requestId,
          ...who
        },
        trace
      )
    )
  }
  const refusal = SecurityEvents.refusalOf(status, facts.refusal)
  if (refusal !== undefined) {
    sink.write(
      LogSink_.render(
        config.logFormat,
        "WARN",
        "security event",
        {
          event: refusal.event,
          reason: refusal.reason,
          ...(refusal.permission === undefined ? {} : { permission: refusal.permission }),
          status,
          method: request.method,
          // The path without its query string, which may carry anything.
          path: SecretPaths.redact(request.url.split("?")[0] ?? ""),
          requestId,
          ip: ClientAddress.fromRequest(request, trustedProxies) ?? "unknown",
          ...who,
          ...(facts.loginDigest === undefined ? {} : { loginDigest: facts.loginDigest })
        },
        trace
      )
    )
  }
}
