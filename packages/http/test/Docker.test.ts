import { spawnSync } from "node:child_process"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"

const root = fileURLToPath(new URL("../../..", import.meta.url))

// Building the image takes minutes, so the test runs only when asked (CI sets ROTA_DOCKER_TEST=1)
// and where Docker answers; otherwise it says why it did not run.
const reason = (() => {
  if (process.env.ROTA_DOCKER_TEST !== "1")
    return "set ROTA_DOCKER_TEST=1 to build the image and run docker compose"
  const info = spawnSync("docker", ["info"], { stdio: "ignore" })
  return info.status === 0 ? undefined : "docker info fails: no Docker here"
})()
if (reason !== undefined) console.log(`docker compose test skipped: ${reason}`)

const compose = (...args: Array<string>) =>
  spawnSync("docker", ["compose", "-p", "rota-test", ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ROTA_PORT: "3907" }
  })

describe.runIf(reason === undefined)("docker compose", () => {
  it("starts Rota, PostgreSQL and Redis, and /readyz answers 200", async () => {
    try {
      const up = compose("up", "--build", "--detach", "--wait")
      assert.strictEqual(up.status, 0, up.stderr)
      let status = 0
      const giveUpAt = Date.now() + 120_000
      while (status !== 200 && Date.now() < giveUpAt) {
        status = await fetch("http://127.0.0.1:3907/readyz").then(
          (answer) => answer.status,
          () => 0
        )
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 1_000))
      }
      assert.strictEqual(status, 200)
      assert.strictEqual((await fetch("http://127.0.0.1:3907/healthz")).status, 200)
    } finally {
      compose("down", "--volumes")
    }
  }, 900_000)
})
