/**
 * Retries, idempotency keys, deadlines, aborts and the user agent, against a local stub whose
 * answers each test scripts: 429 and 503 with and without `Retry-After`, 409
 * `idempotency_in_progress`, dropped connections and answers that never come.
 */
import { readFileSync } from "node:fs"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { afterAll, assert, beforeAll, describe, it } from "@effect/vitest"
import {
  backoffMillis,
  createClient,
  isRotaProblem,
  RotaProblem,
  retryAfterMillis,
  sdkVersion
} from "../src/index.ts"
import { auth, connect, system } from "../src/lite.ts"

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage["headers"]
  readonly at: number
}

type Answer = (response: ServerResponse, request: IncomingMessage) => void

const problem =
  (status: number, code: string, headers: Record<string, string> = {}): Answer =>
  (response) => {
    response.writeHead(status, {
      "content-type": "application/problem+json",
      "x-request-id": "stub-req",
      ...headers
    })
    response.end(JSON.stringify({ code, status, title: code, requestId: "stub-req" }))
  }

const health: Answer = (response) => {
  response.writeHead(200, { "content-type": "application/json", "x-request-id": "stub-ok", "x-extra": "yes" })
  response.end(JSON.stringify({ status: "ok", version: "stub" }))
}

const drop: Answer = (_, request) => request.socket.destroy()
const never: Answer = () => undefined

let script: Array<Answer> = []
let seen: Array<Seen> = []
let url = ""
const server = createServer((request, response) => {
  seen.push({
    method: request.method ?? "",
    url: request.url ?? "",
    headers: request.headers,
    at: Date.now()
  })
  request.resume()
  const next = script.shift() ?? health
  next(response, request)
})

beforeAll(
  () =>
    new Promise<void>((resolve) =>
      server.listen(0, "127.0.0.1", () => {
        url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
        resolve()
      })
    )
)
afterAll(
  () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections()
      server.close(() => resolve())
    })
)

const reset = (answers: Array<Answer>) => {
  script = answers
  seen = []
}

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => assert.fail("expected the call to be refused"),
    (error: unknown) => {
      assert.instanceOf(error, RotaProblem)
      return error as RotaProblem
    }
  )

describe("the transport", () => {
  it("reads Retry-After as seconds or an HTTP date, and backs off with jitter under the cap", () => {
    assert.strictEqual(retryAfterMillis("2"), 2000)
    assert.strictEqual(retryAfterMillis(new Date(10_000).toUTCString(), 4_000), 6_000)
    assert.isUndefined(retryAfterMillis(null))
    assert.isUndefined(retryAfterMillis("soon"))
    for (let attempt = 1; attempt <= 8; attempt++) {
      const delay = backoffMillis(attempt, 4_000)
      const base = Math.min(4_000, 500 * 2 ** (attempt - 1))
      assert.isAtLeast(delay, base / 2)
      assert.isAtMost(delay, base)
    }
  })

  it("retries a 503 after its Retry-After and a 429 with backoff, keeping one idempotency key", async () => {
    const rota = connect({ baseUrl: url })
    reset([problem(503, "unavailable", { "retry-after": "1" }), problem(429, "rate_limited"), health])
    const { data, response } = await auth(rota)
      .login({ payload: { login: "kim", password: "pass" } })
      .withResponse()
    // The stub answers the same body to every route.
    assert.deepStrictEqual(data as unknown, { status: "ok", version: "stub" })
    assert.strictEqual(response.attempts, 3)
    assert.strictEqual(seen.length, 3)
    const keys = seen.map((request) => request.headers["idempotency-key"])
    assert.isString(keys[0])
    assert.deepStrictEqual(keys, [keys[0], keys[0], keys[0]])
    assert.strictEqual(response.idempotencyKey, keys[0])
    assert.isAtLeast(seen[1]!.at - seen[0]!.at, 950, "waited for Retry-After")
  })

  it("retries a 409 idempotency_in_progress with the same key, and gives up after maxRetries", async () => {
    const rota = connect({ baseUrl: url, maxRetries: 1 })
    reset([problem(409, "idempotency_in_progress", { "retry-after": "0" }), health])
    const { response } = await auth(rota)
      .login({ payload: { login: "kim", password: "pass" } }, { idempotencyKey: "key-1" })
      .withResponse()
    assert.strictEqual(response.attempts, 2)

    reset([
      problem(409, "idempotency_in_progress", { "retry-after": "0" }),
      problem(409, "idempotency_in_progress", { "retry-after": "0" })
    ])
    const busy = await refusal(
      auth(rota).login({ payload: { login: "kim", password: "pass" } }, { idempotencyKey: "key-1" })
    )
    assert.strictEqual(busy.code, "idempotency_in_progress")
    assert.strictEqual(seen.length, 2, "one retry, then the problem")
    assert.deepStrictEqual(
      seen.map((request) => request.headers["idempotency-key"]),
      ["key-1", "key-1"]
    )

    // A GET is safe: it carries no key, and a 409 to it is an answer, not a reason to retry.
    reset([problem(409, "idempotency_in_progress", { "retry-after": "0" })])
    await refusal(system(rota).health(undefined, { idempotencyKey: "unused" }))
    assert.strictEqual(seen.length, 1)
    assert.isUndefined(seen[0]!.headers["idempotency-key"])
  })

  it("does not wait for a Retry-After beyond maxRetryDelay: the 429 comes back at once", async () => {
    const rota = connect({ baseUrl: url, maxRetryDelay: 1_000 })
    reset([problem(429, "rate_limited", { "retry-after": "120" })])
    const started = Date.now()
    const refused = await refusal(system(rota).health())
    assert.strictEqual(refused.code, "rate_limited")
    assert.strictEqual(refused.status, 429)
    assert.strictEqual(refused.requestId, "stub-req")
    assert.isBelow(Date.now() - started, 900)
    assert.strictEqual(seen.length, 1)
  })

  it("retries a dropped connection on a GET, but never resends an auth request whose answer was lost", async () => {
    const rota = connect({ baseUrl: url })
    reset([drop, health])
    await system(rota).health()
    assert.strictEqual(seen.length, 2)

    reset([drop, health])
    const lost = await refusal(auth(rota).login({ payload: { login: "kim", password: "pass" } }))
    assert.strictEqual(lost.code, "network")
    assert.strictEqual(lost.status, 0)
    assert.strictEqual(seen.length, 1)
  })

  it("fails with timeout when no answer comes in time, and with aborted when the signal fires", async () => {
    const rota = connect({ baseUrl: url, timeout: 300 })
    reset([never])
    const started = Date.now()
    const late = await refusal(system(rota).health())
    assert.strictEqual(late.code, "timeout")
    assert.isBelow(Date.now() - started, 3_000)

    reset([never])
    const controller = new AbortController()
    const pending = system(rota).health(undefined, { signal: controller.signal, timeout: 10_000 })
    setTimeout(() => controller.abort(), 50)
    const aborted = await refusal(pending)
    assert.strictEqual(aborted.code, "aborted")
  })

  it("sends the user agent rota-sdk/<version> node/<version>", async () => {
    reset([health])
    await system(connect({ baseUrl: url })).health()
    assert.strictEqual(seen[0]!.headers["user-agent"], `rota-sdk/${sdkVersion} node/${process.versions.node}`)
    const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
      version: string
    }
    assert.strictEqual(sdkVersion, manifest.version, "sdkVersion follows the package version")
  })
})

describe("the Promise client's transport", () => {
  it("retries, keeps the answer's headers, and fails typed on timeout and abort", async () => {
    const rota = createClient({ baseUrl: url })
    try {
      reset([problem(503, "unavailable", { "retry-after": "0" }), health])
      const { data, response } = await rota.health().withResponse()
      assert.deepStrictEqual(data, { status: "ok", version: "stub" })
      assert.strictEqual(response.requestId, "stub-ok")
      assert.strictEqual(response.headers.get("x-extra"), "yes")
      assert.strictEqual(response.attempts, 2)
      assert.strictEqual(rota.lastResponse?.requestId, "stub-ok")

      reset([never])
      const late = await refusal(rota.health(undefined, { timeout: 300 }))
      assert.isTrue(isRotaProblem(late) && late.is("timeout"))

      reset([never])
      const controller = new AbortController()
      const pending = rota.health(undefined, { signal: controller.signal })
      setTimeout(() => controller.abort(), 50)
      assert.strictEqual((await refusal(pending)).code, "aborted")

      reset([problem(429, "rate_limited"), problem(429, "rate_limited")])
      const limited = await refusal(rota.health(undefined, { maxRetries: 1 }))
      // health declares no 429, and the problem is still read as the problem it is.
      assert.strictEqual(limited.code, "rate_limited")
      assert.strictEqual(limited.requestId, "stub-req")
      assert.strictEqual(limited.status, 429)
      assert.strictEqual(seen.length, 2)
    } finally {
      await rota.dispose()
    }
  })

  it("sends one generated idempotency key for all attempts of an unsafe call", async () => {
    const rota = createClient({ baseUrl: url, timeout: 2_000 })
    try {
      reset([problem(503, "unavailable", { "retry-after": "0" }), drop])
      await refusal(rota.auth.logout({ payload: {} }))
      assert.strictEqual(seen.length, 2)
      const [first, second] = seen.map((request) => request.headers["idempotency-key"])
      assert.match(String(first), /^[0-9a-f-]{36}$/)
      assert.strictEqual(second, first)
    } finally {
      await rota.dispose()
    }
  })
})
