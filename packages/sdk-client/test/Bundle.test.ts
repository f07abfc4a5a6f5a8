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

// Imports of the code, not of the examples in its doc comments nor words in its strings (a
// message such as "must be after from" is no import): statements that start a line, and import().
const specifiers = (code: string) => {
  const text = code.replace(/\/\*[\s\S]*?\*\//g, "")
  const statements = text.matchAll(/^(?:import\s*|(?:import|export)\b[^"';]*?\bfrom\s*)["']([^"']+)["']/gm)
  const dynamic = text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)
  return new Set([...statements, ...dynamic].map((match) => match[1]!))
}

const importsOf = (file: string) => [...specifiers(readFileSync(join(outDir, file), "utf8"))]

// A file's imports, and those of the chunks it shares with the other entry, transitively.
const runtimeImports = (file: string, seen = new Set<string>()): Array<string> => {
  if (seen.has(file)) return []
  seen.add(file)
  return importsOf(file).flatMap((specifier) =>
    specifier.startsWith("./") ? runtimeImports(specifier.slice(2), seen) : [specifier]
  )
}

describe("the published SDK", () => {
  it("bundles the API definition: its code and types import only effect; the light entry imports nothing", async () => {
    const tsup = join(packageDir, "../../node_modules/.bin/tsup")
    await run(tsup, ["--out-dir", outDir], { cwd: packageDir, timeout: 240_000 })
    for (const file of ["index.js", "index.d.ts", "lite.d.ts"]) {
      const imported = importsOf(file)
      assert.isNotEmpty(imported)
      assert.deepStrictEqual(
        imported.filter((specifier) => !/^effect(\/|$)/.test(specifier) && !specifier.startsWith("./")),
        [],
        `${file} imports ${imported.join(", ")}`
      )
    }
    assert.isNotEmpty(runtimeImports("index.js"))
    // The light clients run on fetch alone: a page that uses them loads no Effect code.
    assert.deepStrictEqual(runtimeImports("lite.js"), [])
  }, 240_000)
})
