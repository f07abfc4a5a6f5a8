/**
 * `npm run bench`: measures Rota against references run on the same machine in the same run,
 * interleaved, and prints ratios (absolute numbers on a shared 2-core machine mean little).
 *
 * Workloads so far: `GET /health` with access logging on, against a raw `node:http` JSON hello.
 * `--quick` runs shorter rounds. Results are also written to bench/results/latest.json.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import autocannon from "autocannon"

const quick = process.argv.includes("--quick")
const rounds = 3
const seconds = quick ? 3 : 10
const connections = 8

interface Figures {
  readonly requestsPerSecond: number
  readonly p50: number
  readonly p99: number
  readonly failures: number
}

const load = (url: string): Promise<Figures> =>
  new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds }, (error, result) => {
      if (error) return reject(error)
      resolve({
        requestsPerSecond: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        failures: result.non2xx + result.errors + result.timeouts
      })
    })
  })

const median = (values: ReadonlyArray<number>) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

const rawHello = () =>
  new Promise<{ url: string; close: () => void }>((resolve) => {
    const body = JSON.stringify({ status: "ok" })
    const server = createServer((_, response) => {
      response.writeHead(200, { "content-type": "application/json" })
      response.end(body)
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({ url: `http://127.0.0.1:${port}/health`, close: () => server.close() })
    })
  })

const rota = (dataDir: string) =>
  new Promise<{ url: string; child: ChildProcess }>((resolve, reject) => {
    const main = fileURLToPath(new URL("../packages/http/src/main.ts", import.meta.url))
    const child = spawn(process.execPath, ["--conditions=@rota/source", main], {
      env: {
        ...process.env,
        PORT: "0",
        ROTA_DATA_DIR: dataDir,
        ROTA_ACCESS_LOG: "true",
        ROTA_RATE_LIMIT_AUTH: "0",
        ROTA_RATE_LIMIT_API: "0",
        ROTA_DEMO_DATA: "false"
      },
      stdio: ["ignore", "pipe", "inherit"]
    })
    let output = ""
    // The access log goes to stdout: it is read and dropped, as a log shipper would.
    child.stdout?.on("data", (chunk: Buffer) => {
      if (output.length < 4096) output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match !== null) resolve({ url: `${match[1]}/health`, child })
    })
    child.on("exit", (code) => reject(new Error(`rota exited with ${code}: ${output}`)))
  })

const main = async () => {
  const dataDir = mkdtempSync(join(tmpdir(), "rota-bench-"))
  const reference = await rawHello()
  const server = await rota(dataDir)
  const raw: Array<Figures> = []
  const health: Array<Figures> = []
  for (let round = 0; round < rounds; round++) {
    raw.push(await load(reference.url))
    health.push(await load(server.url))
  }
  reference.close()
  server.child.kill("SIGTERM")
  rmSync(dataDir, { recursive: true, force: true })

  const summary = (figures: ReadonlyArray<Figures>) => ({
    requestsPerSecond: median(figures.map((f) => f.requestsPerSecond)),
    p50: median(figures.map((f) => f.p50)),
    p99: median(figures.map((f) => f.p99)),
    failures: figures.reduce((sum, f) => sum + f.failures, 0)
  })
  const reference_ = summary(raw)
  const rotaHealth = summary(health)
  const ratio = rotaHealth.requestsPerSecond / reference_.requestsPerSecond
  const rows = [
    { workload: "raw node:http hello (reference)", ...reference_, ratio: 1, target: "" },
    { workload: "GET /health, access log on", ...rotaHealth, ratio, target: ">= 0.40x raw" }
  ]
  console.log(`\n${rounds} interleaved rounds of ${seconds} s at ${connections} connections; medians\n`)
  console.log("workload                         req/s     p50 ms  p99 ms  ratio   target")
  for (const row of rows) {
    console.log(
      `${row.workload.padEnd(32)} ${row.requestsPerSecond.toFixed(0).padStart(8)} ${String(row.p50).padStart(8)} ${String(row.p99).padStart(7)}  ${row.ratio.toFixed(2).padStart(5)}x  ${row.target}`
    )
  }
  const resultsDir = fileURLToPath(new URL("./results", import.meta.url))
  mkdirSync(resultsDir, { recursive: true })
  writeFileSync(
    join(resultsDir, "latest.json"),
    `${JSON.stringify({ at: new Date().toISOString(), quick, rows }, null, 2)}\n`
  )
  // Any failed request (5xx, 429, error) invalidates the run.
  if (rows.some((row) => row.failures > 0)) {
    console.error("failed requests during the run: figures are not valid")
    process.exit(1)
  }
}

await main()
