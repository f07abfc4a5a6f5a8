import { spawnSync } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { createServer } from "node:net"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { DemoData } from "../src/index.ts"
import * as Connection from "./fixtures/Connection.ts"
import { npmStart, start as startProcess, stop } from "./fixtures/ServerProcess.ts"

const dataDir = mkdtempSync(join(tmpdir(), "rota-main-"))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

// Every server of this file uses the same embedded store. Each test starts a server process,
// and the first also creates and migrates the store and loads the demo data: on a loaded 2-core
// machine that alone has taken close to a minute, hence the 3-minute timeouts.
const start = (env: Record<string, string>) => startProcess({ ROTA_DATA_DIR: dataDir, ...env })

describe("the server process", () => {
  it("serves on the embedded store and exits 0 on SIGTERM", async () => {
    const server = start({})
    const url = await server.listening
    const health = await fetch(`${url}/health`)
    assert.strictEqual(health.status, 200)
    assert.strictEqual((await fetch(`${url}/readyz`)).status, 200)
    stop(server.child)
    assert.strictEqual(await server.exited, 0)
  }, 180_000)

  it("exits 0 on SIGTERM after serving the docs and the OpenAPI document", async () => {
    const server = start({})
    const url = await server.listening
    assert.strictEqual((await fetch(`${url}/docs`)).status, 200)
    assert.strictEqual((await fetch(`${url}/openapi.json`)).status, 200)
    const stoppedAt = Date.now()
    stop(server.child)
    assert.strictEqual(await server.exited, 0)
    assert.isBelow(Date.now() - stoppedAt, 10_000)
  }, 180_000)

  it("loads the demo organisations on a new embedded store, and the README's logins work", async () => {
    const server = start({})
    const url = await server.listening
    assert.match(server.output(), /Demo logins/)
    for (const login of DemoData.logins) {
      const answer = await fetch(`${url}/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ login: login.username, password: DemoData.password })
      })
      assert.strictEqual(answer.status, 200, login.username)
    }
    // Each demo org has inventory to look at and a booking by its client.
    const session = (await (
      await fetch(`${url}/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ login: "owner1", password: DemoData.password })
      })
    ).json()) as { accessToken: string }
    const auth = { authorization: `Bearer ${session.accessToken}` }
    const me = (await (await fetch(`${url}/v1/auth/me`, { headers: auth })).json()) as {
      memberships: Array<{ orgId: string }>
    }
    const tenant = { ...auth, "x-org-id": me.memberships[0]!.orgId }
    const listed = async (path: string) =>
      ((await (await fetch(`${url}${path}`, { headers: tenant })).json()) as { items: Array<unknown> }).items
        .length
    assert.strictEqual(await listed("/v1/resources"), 2)
    assert.strictEqual(await listed("/v1/parts"), 1)
    assert.strictEqual(await listed("/v1/bookings"), 1)
    stop(server.child)
    assert.strictEqual(await server.exited, 0)
  }, 180_000)

  it("keeps its data across restarts of the embedded store", async () => {
    const first = start({})
    await first.listening
    stop(first.child)
    assert.strictEqual(await first.exited, 0)
    const second = start({})
    const url = await second.listening
    assert.strictEqual((await fetch(`${url}/readyz`)).status, 200)
    stop(second.child)
    assert.strictEqual(await second.exited, 0)
  }, 180_000)

  it("refuses to start in production without DATABASE_URL", async () => {
    const server = start({ NODE_ENV: "production" })
    const code = await server.exited
    assert.notStrictEqual(code, 0)
    assert.match(server.output(), /DATABASE_URL/)
  }, 180_000)
})

// Every `npm start` below: its own embedded store, no demo data, nothing but requests to serve.
const quiet = (dataDir: string) => ({
  ROTA_DATA_DIR: dataDir,
  ROTA_DEMO_DATA: "false",
  ROTA_JOBS: "false",
  ROTA_RATE_LIMIT_AUTH: "0",
  ROTA_RATE_LIMIT_API: "0",
  ROTA_RATE_LIMIT_PUBLIC: "0",
  ROTA_SHUTDOWN_GRACE_SECONDS: "20"
})
const graceMillis = 20_000

// npm and everything it started, so a test can check none of them outlives the stop.
const processTree = (pid: number): Array<number> => {
  // `ps` exits 1 when it lists nothing: a leaf.
  const children = spawnSync("ps", ["-o", "pid=", "--ppid", String(pid)], { encoding: "utf8" })
    .stdout.split("\n")
    .map((line) => Number(line.trim()))
    .filter((child) => child > 0)
  return [pid, ...children.flatMap(processTree)]
}

// Clean-up after a failed test: nothing it started may keep running.
const killAll = (pids: ReadonlyArray<number>) => {
  for (const running of pids) {
    try {
      process.kill(running, "SIGKILL")
    } catch {
      // Already gone.
    }
  }
}

const isRunning = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

const waitFor = async (condition: () => boolean, what: string) => {
  const giveUpAt = Date.now() + 30_000
  while (!condition()) {
    if (Date.now() > giveUpAt) throw new Error(`gave up waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

const registration = (tag: string) => {
  const name = `${tag}${Math.random().toString(36).slice(2, 8)}`
  return JSON.stringify({
    email: `${name}@example.test`,
    username: name,
    password: `Correct-Horse-${name}`,
    fullName: `Person ${name}`,
    orgName: `Org of ${name}`
  })
}

const drainsOn = async (signal: "SIGTERM" | "SIGINT") => {
  const dataDir = mkdtempSync(join(tmpdir(), "rota-npm-"))
  const server = npmStart(quiet(dataDir))
  let tree = [server.child.pid!]
  try {
    const url = await server.listening
    tree = processTree(server.child.pid!)

    // Idle keep-alive connections, each after one answer.
    const idle = await Promise.all([1, 2, 3].map(() => Connection.open(url)))
    for (const connection of idle)
      assert.strictEqual((await connection.request(Connection.get("/health"))).status, 200)

    // In-flight requests: the server has their headers and waits for the rest of their body.
    const bodies = [1, 2, 3].map(() => registration("drain"))
    const slow = await Promise.all(bodies.map(() => Connection.open(url)))
    const slowAnswers = slow.map((connection, i) =>
      connection.request(Connection.postHead("/v1/auth/register", bodies[i]!) + bodies[i]!.slice(0, 20))
    )

    // A busy keep-alive connection, asking again as soon as it has an answer.
    const busy = await Connection.open(url)
    const busyAnswers: Array<Connection.RawAnswer> = []
    const busyLoop = (async () => {
      while (!busy.isClosed()) {
        const answer = await busy.request(Connection.get("/health")).catch(() => undefined)
        if (answer === undefined) break
        busyAnswers.push(answer)
      }
    })()
    await waitFor(() => busyAnswers.length > 0, "a first answer on the busy connection")

    const signalledAt = Date.now()
    server.child.kill(signal)
    await waitFor(() => server.output().includes("shutdown started"), "the server to log its shutdown")

    assert.strictEqual(await Connection.tryConnect(url), "refused", "a new connection after the signal")
    for (const closedAt of await Promise.all(idle.map((connection) => connection.closed)))
      assert.isBelow(
        closedAt - signalledAt,
        graceMillis,
        "an idle keep-alive connection is closed by the server"
      )

    for (const [i, connection] of slow.entries()) connection.send(bodies[i]!.slice(20))
    for (const answer of await Promise.all(slowAnswers)) {
      assert.strictEqual(answer.status, 201, answer.body)
      assert.strictEqual(answer.headers.connection, "close")
    }

    await busyLoop
    assert.isTrue(busyAnswers.every((answer) => answer.status === 200))
    assert.isBelow((await busy.closed) - signalledAt, graceMillis, "the busy connection is closed too")

    assert.strictEqual(await server.exited, 0)
    assert.isBelow(Date.now() - signalledAt, 25_000)
    for (const pid of tree) assert.isFalse(isRunning(pid), `process ${pid} outlived npm start`)

    const finished = /"msg":"shutdown finished","inFlight":(\d+),"drained":(\d+),"aborted":(\d+)/.exec(
      server.output()
    )
    assert.isNotNull(finished, server.output())
    assert.isAtLeast(Number(finished![1]), 3)
    assert.isAtLeast(Number(finished![2]), 3)
    assert.strictEqual(Number(finished![3]), 0)
  } finally {
    killAll(tree)
    rmSync(dataDir, { recursive: true, force: true })
  }
}

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer()
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === "object" && address !== null ? address.port : 0))
    })
  })

describe("npm start", () => {
  it(
    "SIGTERM to npm start drains in-flight requests, closes keep-alive connections, refuses new ones and exits 0",
    () => drainsOn("SIGTERM"),
    240_000
  )

  it("SIGINT (Ctrl-C) to npm start stops it the same way", () => drainsOn("SIGINT"), 240_000)

  it("a request during start-up is refused or answered at once, never left hanging", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "rota-npm-"))
    const port = await freePort()
    // Loading the demo data (hashing its passwords) makes the start-up long enough to probe.
    const server = npmStart({ ...quiet(dataDir), ROTA_DEMO_DATA: "true", PORT: String(port) })
    try {
      const url = `http://127.0.0.1:${port}`
      const seen = new Set<string>()
      let ready = false
      while (!ready) {
        const answer = await fetch(`${url}/health`, { signal: AbortSignal.timeout(20_000) }).then(
          (response) => String(response.status),
          (error: Error) => (error.name === "TimeoutError" ? "hung" : "refused")
        )
        seen.add(answer)
        ready = answer === "200"
        if (!ready) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      assert.isFalse(seen.has("hung"))
      assert.includeMembers(["refused", "503", "200"], [...seen])
      assert.match(server.output(), /Demo logins/)
      stop(server.child)
      assert.strictEqual(await server.exited, 0)
    } finally {
      killAll(processTree(server.child.pid!))
      rmSync(dataDir, { recursive: true, force: true })
    }
  }, 240_000)
})
