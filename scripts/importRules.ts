/**
 * Checks the package dependency rules of the architecture: which modules a folder's sources may
 * import. Used by each package's Dependencies test.
 */
import { readdirSync, readFileSync, statSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"

const importPattern =
  /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : []
  })

/** Every bare specifier imported by the `.ts` files below `dir` (relative imports excluded). */
export const importsBelow = (
  dir: URL | string,
  files?: ReadonlyArray<string>
): Map<string, Array<string>> => {
  const root = typeof dir === "string" ? dir : fileURLToPath(dir)
  const found = new Map<string, Array<string>>()
  for (const file of files ?? sourceFiles(root)) {
    for (const match of readFileSync(file, "utf8").matchAll(importPattern)) {
      const specifier = match[1] ?? match[2]
      if (specifier === undefined || specifier.startsWith(".")) continue
      found.set(specifier, [...(found.get(specifier) ?? []), file])
    }
  }
  return found
}

/** Throws, naming the file, when a source below `dir` imports anything the patterns do not allow. */
export const assertImportsOnly = (
  dir: URL | string,
  allowed: ReadonlyArray<RegExp>,
  files?: ReadonlyArray<string>
): void => {
  const offending = [...importsBelow(dir, files)].filter(
    ([specifier]) => !allowed.some((p) => p.test(specifier))
  )
  if (offending.length > 0) {
    throw new Error(
      `forbidden imports: ${offending.map(([s, where]) => `${s} (in ${where.join(", ")})`).join("; ")}`
    )
  }
}
