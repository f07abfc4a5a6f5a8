import { execFile } from "node:child_process"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { afterAll, assert, describe, it } from "@effect/vitest"

const run = promisify(execFile)
const packageDir = fileURLToPath(new URL("..", import.meta.url))
const outputs = ["index.js", "index.d.ts", "lite.js", "lite.d.ts"]

// What the bundle is built from: this package, and the sources of the two it bundles in.
const inputs = [
  "src",
  "tsup.config.ts",
  "tsconfig.json",
  "tsconfig.build.json",
  "package.json",
  "../core/src",
  "../http/src"
].map((path) => join(packageDir, path))

const newest = (path: string): number =>
  statSync(path).isDirectory()
    ? Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))))
    : statSync(path).mtimeMs

// `npm test` builds the package before its tests (turbo.json), so the bundle under test is the
// one `npm pack` ships and it is built once per run; run alone, or after an edit, the test
// builds its own (tsup with declarations takes most of a minute on a 2-core machine).
const built = join(packageDir, "dist")
const upToDate =
  outputs.every((file) => existsSync(join(built, file))) &&
  Math.min(...outputs.map((file) => statSync(join(built, file)).mtimeMs)) >= Math.max(...inputs.map(newest))
const outDir = upToDate ? built : mkdtempSync(join(tmpdir(), "rota-sdk-build-"))
afterAll(() => {
  if (!upToDate) rmSync(outDir, { recursive: true, force: true })
})

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
    if (!upToDate) {
      const tsup = join(packageDir, "../../node_modules/.bin/tsup")
      await run(tsup, ["--out-dir", outDir], { cwd: packageDir, timeout: 240_000 })
    }
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
