/**
 * Trace export over OTLP/HTTP when `OTEL_EXPORTER_OTLP_ENDPOINT` is set: every request span and
 * the spans of the use cases and SQL statements under it go to the collector.
 *
 * @since 0.1.0
 */
import { Layer } from "effect"
import { FetchHttpClient, HttpMiddleware } from "effect/http"
import { OtlpExporter, OtlpSerialization, OtlpTracer } from "effect/observability"
import { version } from "../../api/Api.ts"
import type { Settings } from "../ServerConfig.ts"
import * as SecretPaths from "./SecretPaths.ts"

/**
 * The tracer for `settings`: OTLP export when an endpoint is set, otherwise none (spans still
 * give log lines their `trace_id`/`span_id`). Spans go to `<endpoint>/v1/traces` every second
 * and the last ones when the server stops.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (settings: Settings): Layer.Layer<OtlpExporter.Flusher> =>
  settings.otlpEndpoint === undefined
    ? OtlpExporter.layerFlusher
    : OtlpTracer.layer({
        url: `${settings.otlpEndpoint.replace(/\/+$/, "")}/v1/traces`,
        resource: { serviceName: settings.serviceName, serviceVersion: version },
        exportInterval: "1 second"
      }).pipe(
        Layer.provide(OtlpSerialization.layerJson),
        Layer.provide(FetchHttpClient.layer),
        // A calendar feed's path is its token: such requests are not exported.
        Layer.merge(Layer.succeed(HttpMiddleware.TracerDisabledWhen)(SecretPaths.untraced))
      )
