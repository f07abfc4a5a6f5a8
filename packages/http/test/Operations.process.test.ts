import { mkdtempSync, rmSync } from "node:fs"
import { createServer as createHttpServer, type IncomingMessage } from "node:http"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { start, stop } from "./fixtures/ServerProcess.ts"

const dataDir = mkdtempSync(join(tmpdir(), "rota-ops-"))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

// A minimal OTLP/HTTP receiver: it keeps the trace ids of every span it is sent.
const otlpReceiver = async () => {
  const traceIds = new Set<string>()
  const names: Array<string> = []
  const server = createHttpServer((request: IncomingMessage, response) => {
    let body = ""
    request.on("data", (chunk) => (body += chunk))
    request.on("end", () => {
      if (request.url === "/v1/traces") {
        const payload = JSON.parse(body) as {
          resourceSpans: Array<{ scopeSpans: Array<{ spans: Array<{ traceId: string; name: string }> }> }>
        }
        for (const resource of payload.resourceSpans)
          for (const scope of resource.scopeSpans)
            for (const span of scope.spans) {
              traceIds.add(span.traceId)
              names.push(span.name)
            }
      }
      response.writeHead(200, { "content-type": "application/json" }).end("{}")
    })
  })
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
  const address = server.address()
  const port = typeof address === "object" && address !== null ? address.port : 0
  return { url: `http://127.0.0.1:${port}`, traceIds, names, close: () => server.close() }
}

const jsonLines = (output: string) =>
  output
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>)

describe("operating the server process", () => {
  it("a first start with demo data and jobs prints only the banner and the access log; request lines carry the trace the OTLP collector receives", async () => {
    const receiver = await otlpReceiver()
    const server = start({
      ROTA_DATA_DIR: dataDir,
      ROTA_ACCESS_LOG: "true",
      ROTA_DEMO_DATA: "true",
      ROTA_JOBS: "true",
      LOG_LEVEL: "info",
      OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
      // A loaded test machine may keep the embedded store busy for seconds while the demo loads.
      ROTA_DB_ACQUIRE_TIMEOUT_MS: "30000"
    })
    try {
      const url = await server.listening
      assert.strictEqual((await fetch(`${url}/healthz`)).status, 200)
      // Long enough for the outbox to deliver the demo records' messages and the jobs to tick.
      await new Promise((resolve) => setTimeout(resolve, 5_000))
      const metrics = await (await fetch(`${url}/metrics`)).text()
      assert.include(metrics, "rota_job_runs_total")
      assert.include(metrics, "rota_job_run_duration_seconds")
      await new Promise((resolve) => setTimeout(resolve, 300))
      const before = server.output()
      const lines = jsonLines(before)
      assert.deepStrictEqual(
        [...new Set(lines.map((line) => line.msg))],
        ["request"],
        `only access-log lines: ${before}`
      )
      assert.notInclude(before, "outbox message delivered")
      for (const line of before.split("\n")) {
        // Banner lines are plain text; no line is in another JSON shape.
        if (line.startsWith("{")) assert.containsAllKeys(JSON.parse(line), ["time", "level", "msg"])
      }
      const access = lines.filter((line) => line.msg === "request")
      assert.isAtLeast(access.length, 2, "the /healthz and /metrics requests")
      for (const line of access) assert.match(String(line.trace_id), /^[0-9a-f]{32}$/)
      stop(server.child)
      assert.strictEqual(await server.exited, 0)
      // The exporter flushes on shutdown: the collector has the trace of each logged request.
      for (const line of access)
        assert.isTrue(receiver.traceIds.has(String(line.trace_id)), String(line.trace_id))
    } finally {
      server.child.kill("SIGKILL")
      receiver.close()
    }
  }, 180_000)

  it("bad configuration: one line per bad variable on stderr, no stack trace, exit 1", async () => {
    const server = start({ ROTA_DATA_DIR: dataDir, PORT: "abc", LOG_LEVEL: "loud", ROTA_SIGNUP: "maybe" })
    assert.strictEqual(await server.exited, 1)
    const output = server.output()
    assert.match(output, /^rota: PORT: /m)
    assert.match(output, /^rota: LOG_LEVEL: /m)
    assert.match(output, /^rota: ROTA_SIGNUP: /m)
    assert.notMatch(output, /\bat .*\.ts:\d+/)
    assert.isAtMost(output.trim().split("\n").length, 4)
  }, 60_000)

  it("a busy port is named in one readable line, exit 1", async () => {
    const holder = createServer()
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve))
    const address = holder.address()
    const port = typeof address === "object" && address !== null ? address.port : 0
    try {
      const server = start({ ROTA_DATA_DIR: dataDir, PORT: String(port), ROTA_DEMO_DATA: "false" })
      assert.strictEqual(await server.exited, 1)
      assert.include(server.output(), `127.0.0.1:${port} is already in use`)
      assert.notInclude(server.output(), "ServeError")
    } finally {
      holder.close()
    }
  }, 60_000)
})
