import { readdirSync, readFileSync, statSync } from "node:fs"
import { join, relative } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import ts from "typescript"

const src = fileURLToPath(new URL("../src", import.meta.url))

/**
 * Ports speak `DateTime.Utc`, like the entities (docs/architecture.md, "Conventions"): a port file
 * (one that declares a `Context.Service`, or a repository or records file that declares the shape
 * repositories share) names no global `Date` type anywhere, in the service's signatures or in the
 * rows and commands declared beside it. Adapters turn instants into `Date` at their own
 * boundary (SQL parameters, a JWT library); `Date.UTC(...)` and `new Date(...)` as values are not
 * types and do not count.
 */
const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return name === "testing" ? [] : sourceFiles(path)
    return path.endsWith(".ts") ? [path] : []
  })

const declaresService = (node: ts.Node): boolean =>
  ts.isClassDeclaration(node) &&
  (node.heritageClauses ?? []).some((clause) =>
    clause.types.some((type) => /^Context\.Service\b/.test(type.expression.getText()))
  )

const portFileName = /(Repo|Repos|Records)\.ts$/

/** `line: text` of every `Date` type in a port file; empty for other files. */
export const dateTypesOf = (file: string, text: string): Array<string> => {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  if (!portFileName.test(file) && !source.statements.some(declaresService)) return []
  const found: Array<string> = []
  const visit = (node: ts.Node): void => {
    if (ts.isTypeReferenceNode(node) && ts.isIdentifier(node.typeName) && node.typeName.text === "Date") {
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1
      found.push(`${line}: ${node.parent.getText(source)}`)
    }
    ts.forEachChild(node, visit)
  }
  visit(source)
  return found
}

describe("port times", () => {
  it("no port file names the global Date type: ports take and give DateTime.Utc", () => {
    const found = sourceFiles(src).flatMap((path) =>
      dateTypesOf(path, readFileSync(path, "utf8")).map((hit) => `${relative(src, path)}:${hit}`)
    )
    assert.deepStrictEqual(found, [])
  })

  it("the scan finds Date in a service's signatures and in the types beside it, not in values", () => {
    const source = [
      'import { Context, type DateTime, type Effect } from "effect"',
      "export interface Row { readonly at: Date | null }",
      "export class Repo extends Context.Service<Repo, {",
      "  readonly purge: (before: Date) => Effect.Effect<number>",
      "  readonly next: (at: DateTime.Utc) => Effect.Effect<ReadonlyArray<Date>>",
      '}>()("Repo") {}',
      "const epoch = new Date(Date.UTC(2030, 0, 1))"
    ].join("\n")
    assert.deepStrictEqual(dateTypesOf("Repo.ts", source), [
      "2: Date | null",
      "4: before: Date",
      "5: ReadonlyArray<Date>"
    ])
    const rule = "export const f = (at: Date) => at.getTime()"
    assert.deepStrictEqual(dateTypesOf("Rule.ts", rule), [])
    assert.deepStrictEqual(dateTypesOf("ThingRepos.ts", rule), ["1: at: Date"])
  })
})
