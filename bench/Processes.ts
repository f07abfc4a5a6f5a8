/**
 * The processes under test: Rota as `npm start` runs it (the built bundle, with its Node flags), the raw `node:http` reference, and a
 * sampler of their resident memory.
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import { readFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

export interface Started {
  readonly url: string
  readonly child: ChildProcess
  readonly stop: () => Promise<void>
  /** What it logged besides access-log lines (warnings, errors), the first 200 lines. */
  readonly logs: () => ReadonlyArray<string>
}

const httpPackage = fileURLToPath(new URL("../packages/http", import.meta.url))
const rotaMain = fileURLToPath(new URL("../packages/http/dist/server/rota-server.js", import.meta.url))

// The bundle `npm start` builds (its `prestart`) and runs.
let isBuilt = false
const buildRota = () => {
  if (isBuilt) return
  isBuilt = true
  const built = spawnSync("tsup", ["--config", "tsup.server.config.ts", "--silent"], {
    cwd: httpPackage,
    stdio: "inherit"
  })
  if (built.status !== 0) throw new Error(`building the server bundle failed (${built.status})`)
}
const helloMain = fileURLToPath(new URL("./reference/hello.ts", import.meta.url))
const effectHelloMain = fileURLToPath(new URL("./reference/effect-hello.ts", import.meta.url))

// Starts a node script and resolves once it prints its address. Its stdout (Rota's access log)
// is read and dropped, as a log shipper would, except lines that are not access-log lines.
const startScript = (script: string, args: ReadonlyArray<string>, env: Record<string, string>) =>
  new Promise<Started>((resolve, reject) => {
    const child = spawn(process.execPath, [...args, script], {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"]
    })
    let output = ""
    let found = false
    let partial = ""
    const kept: Array<string> = []
    const exited = new Promise<void>((done) => child.on("exit", () => done()))
    const stop = async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM")
      await exited
    }
    const keep = (chunk: Buffer) => {
      if (kept.length >= 200) return
      const lines = (partial + chunk.toString()).split("\n")
      partial = lines.pop() ?? ""
      for (const line of lines) {
        if (line.length > 0 && !line.includes('"msg":"request"') && kept.length < 200) kept.push(line)
      }
    }
    const read = (chunk: Buffer) => {
      if (found) return keep(chunk)
      output += chunk.toString()
      const match = /listening on (http:\/\/\S+)/.exec(output)
      if (match !== null) {
        found = true
        resolve({ url: match[1]!, child, stop, logs: () => kept })
      }
    }
    child.stdout.on("data", read)
    child.stderr.on("data", (chunk: Buffer) => {
      if (found) keep(chunk)
      else if (output.length < 65_536) output += chunk.toString()
    })
    child.on("exit", (code) => {
      if (!found) reject(new Error(`${script} exited with ${code} before listening:\n${output}`))
    })
  })

/**
 * Rota on `databaseUrl`, configured as the benchmark needs it: rate limits off (a 429 would
 * fail the run), access log on (it is on in production), no demo data, no background jobs
 * competing for the two cores, and the response cache off unless `cache` says otherwise: a
 * listing asked for again and again would otherwise be answered from the cache after its first
 * request, and measure the cache instead of the listing's statement.
 */
export const startRota = (databaseUrl: string, cache: "off" | "memory" = "off") => {
  buildRota()
  return startRota_(databaseUrl, cache)
}

// `--profile`: Rota writes a V8 CPU profile of the whole run into bench/results/ when it stops
// (open it in Chrome DevTools or speedscope).
const profiling = process.argv.includes("--profile")
  ? [`--cpu-prof`, `--cpu-prof-dir=${fileURLToPath(new URL("./results/", import.meta.url))}`]
  : []

// The Node flags of `npm start` (the root package.json's `start` script), so the process measured
// is the one `npm start` runs (its heap sizing included).
const startFlags = (): Array<string> => {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
    scripts: { start: string }
  }
  const words = manifest.scripts.start.split(/\s+/)
  return words.slice(words.indexOf("node") + 1).filter((word) => word.startsWith("--"))
}

const startRota_ = (databaseUrl: string, cache: "off" | "memory") =>
  startScript(rotaMain, [...startFlags(), ...profiling], {
    PORT: "0",
    DATABASE_URL: databaseUrl,
    ROTA_CACHE: cache,
    ROTA_JWT_SECRET: "bench-only-secret-0123456789-0123456789-0123456789",
    ROTA_ACCESS_LOG: "true",
    ROTA_RATE_LIMIT_AUTH: "0",
    ROTA_RATE_LIMIT_API: "0",
    ROTA_RATE_LIMIT_PUBLIC: "0",
    ROTA_DEMO_DATA: "false",
    ROTA_JOBS: "false",
    LOG_LEVEL: "Warn",
    NODE_ENV: "production"
  })

/**
 * The raw `node:http` hello reference.
 */
export const startHello = () => startScript(helloMain, [], {})

/**
 * The bare Effect HttpApi hello reference, with the Node flags `npm start` gives Rota.
 */
export const startEffectHello = () =>
  startScript(effectHelloMain, [...startFlags(), "--conditions=@rota/source"], { NODE_ENV: "production" })

const rssMegabytes = (pid: number) => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8")
    const kilobytes = /VmRSS:\s+(\d+)/.exec(status)?.[1]
    return kilobytes === undefined ? 0 : Number(kilobytes) / 1024
  } catch {
    return 0
  }
}

/**
 * Samples a process's resident set size (Linux `/proc`) every 100 ms while `during` runs and
 * answers its result with the highest sample.
 */
export const withPeakRss = async <A>(
  pid: number | undefined,
  during: () => Promise<A>
): Promise<{ readonly result: A; readonly peakMb: number }> => {
  if (pid === undefined) return { result: await during(), peakMb: 0 }
  let peakMb = rssMegabytes(pid)
  const timer = setInterval(() => {
    peakMb = Math.max(peakMb, rssMegabytes(pid))
  }, 100)
  try {
    const result = await during()
    return { result, peakMb: Math.max(peakMb, rssMegabytes(pid)) }
  } finally {
    clearInterval(timer)
  }
}
