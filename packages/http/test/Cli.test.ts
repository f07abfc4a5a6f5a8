import { spawn } from "node:child_process"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { afterAll, assert, describe, it } from "@effect/vitest"
import { nodeArguments } from "./fixtures/Processes.ts"
import { start, stop } from "./fixtures/ServerProcess.ts"

const dataDir = mkdtempSync(join(tmpdir(), "rota-cli-"))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

// Runs `rota <args>` on the test's embedded store, `input` on stdin.
const rota = (args: ReadonlyArray<string>, env: Record<string, string> = {}, input = "") =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, [...nodeArguments("cli"), ...args], {
      env: {
        PATH: process.env.PATH ?? "",
        ROTA_DATA_DIR: dataDir,
        ROTA_DB_ACQUIRE_TIMEOUT_MS: "30000",
        ...env
      },
      stdio: ["pipe", "pipe", "pipe"]
    })
    let stdout = ""
    let stderr = ""
    child.stdout.on("data", (chunk) => (stdout += chunk))
    child.stderr.on("data", (chunk) => (stderr += chunk))
    child.stdin.end(input)
    child.on("exit", (code) => resolve({ code, stdout, stderr }))
  })

describe("rota CLI", () => {
  it("migrate: up, down to a version (status shows it), refused across a migration without a down, up again", async () => {
    const up = await rota(["migrate", "up"])
    assert.strictEqual(up.code, 0, up.stderr)
    const down = await rota(["migrate", "down", "--to", "24"])
    assert.strictEqual(down.code, 0, down.stderr)
    // Newest first: everything above 0024 is reverted, down to and including 0025.
    assert.match(down.stdout, /^reverted \d{4}_\w+, /)
    assert.include(
      down.stdout,
      "0027_create_signing_keys, 0026_index_booking_lengths, 0025_index_booking_lists; the database is at 0024"
    )
    const status = await rota(["migrate", "status"])
    assert.strictEqual(status.code, 0, status.stderr)
    const lines = status.stdout.trim().split("\n")
    assert.isAtLeast(lines.length, 26)
    for (const line of lines)
      assert.match(line, Number(line.slice(9, 13)) <= 24 ? /^applied {2}\d{4}_/ : /^pending {2}\d{4}_/)
    const refused = await rota(["migrate", "down", "--to", "20"])
    assert.strictEqual(refused.code, 1)
    assert.strictEqual(refused.stderr.trim().split("\n").length, 1)
    assert.include(refused.stderr, "0023_ledger_leave_and_units cannot be reverted")
    const again = await rota(["migrate", "up"])
    assert.strictEqual(again.code, 0, again.stderr)
  }, 400_000)

  it("create-owner makes the first owner with sign-up closed, the password read from stdin; the owner signs in", async () => {
    const password = "Correct-Horse-Battery-9"
    const created = await rota(
      [
        "create-owner",
        "--email",
        "boss@example.test",
        "--username",
        "boss",
        "--name",
        "The Boss",
        "--org",
        "Boss Org"
      ],
      { ROTA_SIGNUP: "closed" },
      `${password}\n`
    )
    assert.strictEqual(created.code, 0, created.stderr)
    assert.notInclude(created.stdout + created.stderr, password)
    const again = await rota(
      [
        "create-owner",
        "--email",
        "boss@example.test",
        "--username",
        "boss",
        "--name",
        "The Boss",
        "--org",
        "Other"
      ],
      { ROTA_SIGNUP: "closed" },
      `${password}\n`
    )
    assert.strictEqual(again.code, 1, "the same account twice is refused")

    const server = start({
      ROTA_DATA_DIR: dataDir,
      ROTA_SIGNUP: "closed",
      ROTA_DEMO_DATA: "false",
      ROTA_JOBS: "false"
    })
    try {
      const url = await server.listening
      const login = await fetch(`${url}/v1/auth/login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ login: "boss", password })
      })
      assert.strictEqual(login.status, 200)
      stop(server.child)
      assert.strictEqual(await server.exited, 0)
    } finally {
      server.child.kill("SIGKILL")
    }
  }, 240_000)

  it("seed-demo loads the demo organisations into an empty database only", async () => {
    const empty = mkdtempSync(join(tmpdir(), "rota-cli-demo-"))
    try {
      const seeded = await rota(["seed-demo"], { ROTA_DATA_DIR: empty })
      assert.strictEqual(seeded.code, 0, seeded.stderr)
      assert.include(seeded.stdout, "owner1")
      const used = await rota(["seed-demo"])
      assert.strictEqual(used.code, 0, used.stderr)
      assert.include(used.stdout, "already has accounts")
    } finally {
      rmSync(empty, { recursive: true, force: true })
    }
  }, 240_000)
})
