import { assert, describe, it, layer } from "@effect/vitest"
import { Effect, Layer, Logger, References } from "effect"
import { LogSink } from "../src/index.ts"
import { TestServer } from "../src/testing.ts"
import * as Stores from "./fixtures/Stores.ts"

const get = (path: string, headers: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const { url } = yield* TestServer.TestServer
    const response = yield* Effect.promise(() => fetch(`${url}${path}`, { headers }))
    return {
      status: response.status,
      type: response.headers.get("content-type") ?? "",
      text: yield* Effect.promise(() => response.text())
    }
  })

interface Line {
  readonly time: string
  readonly level: string
  readonly msg: string
  readonly trace_id?: string
  readonly span_id?: string
  readonly [field: string]: unknown
}

describe("log lines", () => {
  it("JSON lines carry time, level, msg, the fields and the trace", () => {
    const line = JSON.parse(
      LogSink.render("json", "INFO", "request", { status: 200 }, { traceId: "t1", spanId: "s1" }, new Date(0))
    ) as Line
    assert.deepStrictEqual(line, {
      time: "1970-01-01T00:00:00.000Z",
      level: "INFO",
      msg: "request",
      status: 200,
      trace_id: "t1",
      span_id: "s1"
    })
  })

  it("pretty lines are one readable line without JSON braces", () => {
    const line = LogSink.render(
      "pretty",
      "WARN",
      "security event",
      { path: "/v1/x", ip: "10.0.0.1" },
      undefined,
      new Date(0)
    )
    assert.strictEqual(line, "00:00:00.000 WARN  security event path=/v1/x ip=10.0.0.1")
  })

  it.effect(
    "Effect's logs within a span carry its trace_id and span_id; fields come from the message and annotations",
    () =>
      Effect.gen(function* () {
        const lines: Array<string> = []
        const span = yield* Effect.gen(function* () {
          yield* Effect.logWarning("purged", { keys: 3 }).pipe(Effect.annotateLogs({ job: "maintenance" }))
          return yield* Effect.currentSpan
        }).pipe(
          Effect.withSpan("work"),
          Effect.provide(LogSink.loggerFor("json").pipe(Layer.provide(LogSink.LogSink.layerMemory(lines))))
        )
        assert.strictEqual(lines.length, 1)
        const line = JSON.parse(lines[0]!) as Line
        assert.strictEqual(line.msg, "purged")
        assert.strictEqual(line.level, "WARN")
        assert.strictEqual(line.keys, 3)
        assert.strictEqual(line.job, "maintenance")
        assert.strictEqual(line.trace_id, span.traceId)
        assert.strictEqual(line.span_id, span.spanId)
      })
  )

  it.effect(
    "outside any span a line has no trace ids, and errors print one line without stack frames at warn",
    () =>
      Effect.gen(function* () {
        const lines: Array<string> = []
        yield* Effect.logWarning("database unavailable", new Error("connection refused")).pipe(
          Effect.provide(LogSink.loggerFor("json").pipe(Layer.provide(LogSink.LogSink.layerMemory(lines))))
        )
        const line = JSON.parse(lines[0]!) as Line
        assert.isUndefined(line.trace_id)
        assert.isUndefined(line.stack)
        assert.strictEqual(lines.length, 1)
      })
  )

  it.effect("the minimum level drops debug lines (outbox deliveries log at debug)", () =>
    Effect.gen(function* () {
      const lines: Array<string> = []
      yield* Effect.logDebug("outbox message delivered").pipe(
        Effect.provide(
          Layer.mergeAll(
            LogSink.loggerFor("json").pipe(Layer.provide(LogSink.LogSink.layerMemory(lines))),
            Layer.succeed(References.MinimumLogLevel, "Info")
          )
        )
      )
      assert.deepStrictEqual(lines, [])
      assert.isDefined(Logger.layer)
    })
  )
})

for (const store of Stores.stores()) {
  describe(store.name, () => {
    const lines: Array<string> = []
    layer(TestServer.layer(store.layer, { accessLog: true }, { logLines: lines }), {
      timeout: 120_000,
      excludeTestServices: true
    })("probes, metrics and request logs", (it) => {
      it.effect("/healthz answers like /readyz: 200 with the version while the database answers", () =>
        Effect.map(get("/healthz"), ({ status, text }) => {
          assert.strictEqual(status, 200)
          assert.deepStrictEqual(JSON.parse(text), { status: "ok", version: "0.1.0" })
        })
      )

      it.effect(
        "every access-log line of a request carries a trace_id and span_id, in the one JSON format",
        () =>
          Effect.gen(function* () {
            const answer = yield* get("/v1/resources", { "x-request-id": "trace-me-1" })
            assert.strictEqual(answer.status, 401)
            yield* Effect.sleep("50 millis")
            const mine = lines
              .map((line) => JSON.parse(line) as Line)
              .filter((line) => line.requestId === "trace-me-1")
            assert.isDefined(mine.find((line) => line.msg === "request" && line.status === 401))
            for (const line of mine) {
              assert.match(line.trace_id ?? "", /^[0-9a-f]{32}$/)
              assert.match(line.span_id ?? "", /^[0-9a-f]{16}$/)
              assert.isString(line.time)
              assert.isString(line.msg)
            }
            assert.strictEqual(new Set(mine.map((line) => line.trace_id)).size, 1, "one trace per request")
            // Two requests: two traces.
            yield* get("/v1/resources", { "x-request-id": "trace-me-2" })
            yield* Effect.sleep("50 millis")
            const other = lines
              .map((line) => JSON.parse(line) as Line)
              .find((line) => line.requestId === "trace-me-2")
            assert.notStrictEqual(other?.trace_id, mine[0]!.trace_id)
          })
      )

      it.effect("/metrics is on by default", () =>
        Effect.map(get("/metrics"), ({ status, text }) => {
          assert.strictEqual(status, 200)
          assert.include(text, "rota_http_requests_total")
          // The pool's gauges exist on PostgreSQL (the embedded store has no pool).
          if (store.name === "postgres") {
            assert.match(text, /^rota_db_connections_in_use\b/m)
            assert.match(text, /^rota_db_acquire_duration_seconds_count\b/m)
          }
        })
      )
    })

    layer(TestServer.layer(store.layer, { metrics: false }), { timeout: 120_000, excludeTestServices: true })(
      "ROTA_METRICS=off",
      (it) => {
        it.effect("/metrics is not served (404 problem), the API still is", () =>
          Effect.gen(function* () {
            const metrics = yield* get("/metrics")
            assert.strictEqual(metrics.status, 404)
            assert.include(metrics.type, "application/problem+json")
            assert.strictEqual((yield* get("/health")).status, 200)
          })
        )
      }
    )
  })
}
