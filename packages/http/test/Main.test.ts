import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { DemoData } from "../src/index.ts"
import { start as startProcess, stop } from "./fixtures/ServerProcess.ts"

const dataDir = mkdtempSync(join(tmpdir(), "rota-main-"))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

// Every server of this file uses the same embedded store.
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
  }, 60_000)

  it("exits 0 on SIGTERM after serving the docs and the OpenAPI document", async () => {
    const server = start({})
    const url = await server.listening
    assert.strictEqual((await fetch(`${url}/docs`)).status, 200)
    assert.strictEqual((await fetch(`${url}/openapi.json`)).status, 200)
    const stoppedAt = Date.now()
    stop(server.child)
    assert.strictEqual(await server.exited, 0)
    assert.isBelow(Date.now() - stoppedAt, 10_000)
  }, 60_000)

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
  }, 60_000)

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
  }, 60_000)

  it("refuses to start in production without DATABASE_URL", async () => {
    const server = start({ NODE_ENV: "production" })
    const code = await server.exited
    assert.notStrictEqual(code, 0)
    assert.match(server.output(), /DATABASE_URL/)
  }, 60_000)
})
