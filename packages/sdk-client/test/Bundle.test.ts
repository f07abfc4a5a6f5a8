import { execFile } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, assert, describe, it } from "@effect/vitest"

const run = promisify(execFile)
const packageDir = fileURLToPath(new URL("..", import.meta.url))
const outDir = mkdtempSync(join(tmpdir(), "rota-sdk-build-"))
afterAll(() => rmSync(outDir, { recursive: true, force: true }))

const specifiers = (code: string) =>
  new Set([...code.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((match) => match[1]!))

describe("the published SDK", () => {
  it("bundles the API definition: its code and types import only effect", async () => {
    const tsup = join(packageDir, "../../node_modules/.bin/tsup")
    await run(tsup, ["--out-dir", outDir], { cwd: packageDir, timeout: 120_000 })
    for (const file of ["index.js", "index.d.ts"]) {
      const imported = [...specifiers(readFileSync(join(outDir, file), "utf8"))]
      assert.isNotEmpty(imported)
      assert.deepStrictEqual(
        imported.filter((specifier) => !/^effect(\/|$)/.test(specifier)),
        [],
        `${file} imports ${imported.join(", ")}`
      )
    }
  }, 120_000)
})
