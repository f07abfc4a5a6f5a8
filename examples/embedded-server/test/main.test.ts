import { execFile } from "node:child_process"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { assert, describe, it } from "@effect/vitest"

const run = promisify(execFile)

describe("embedded-server example", () => {
  it("starts the server, calls it through the SDK and exits cleanly", async () => {
    const main = fileURLToPath(new URL("../src/main.ts", import.meta.url))
    const { stdout } = await run(process.execPath, ["--conditions=@rota/source", main], { timeout: 60_000 })
    assert.match(stdout, /Rota 0\.1\.0 answers "ok" at http:\/\/127\.0\.0\.1:\d+/)
  }, 90_000)

  it("builds every use case from Rota.layer and books a unit without HTTP", async () => {
    const program = fileURLToPath(new URL("../src/use-cases.ts", import.meta.url))
    const { stdout } = await run(process.execPath, ["--conditions=@rota/source", program], {
      timeout: 120_000
    })
    assert.match(stdout, /Booked 1 unit for "Night briefing": APPROVED/)
  }, 150_000)
})
