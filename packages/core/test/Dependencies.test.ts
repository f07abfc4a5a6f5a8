import { readdirSync, readFileSync, statSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { assertImportsOnly } from "../../../scripts/importRules.ts"

const src = fileURLToPath(new URL("../src", import.meta.url))

/**
 * The layer order of the core, lowest first (docs/architecture.md draws it). A module may import
 * only from its own folder and from modules of a strictly lower layer, so folders of one layer
 * never import each other and nothing points up.
 */
const layers: ReadonlyArray<ReadonlyArray<string>> = [
  ["kernel"],
  ["ledger", "identity"],
  ["inventory"],
  ["bookings", "interventions", "crews"],
  ["waitlist", "maintenance", "intake", "transfer"],
  ["notifications", "webhooks", "calendars", "reports"],
  ["app"],
  ["entry"]
]

/** The module of a source file, given as a path relative to `src` with `/` separators. */
const moduleOf = (file: string): string => {
  if (file === "index.ts" || file === "testing.ts" || file.startsWith("testing/")) return "entry"
  const slash = file.indexOf("/")
  // Root files use several features: the composition root and the cross-feature use cases.
  return slash === -1 ? "app" : file.slice(0, slash)
}

const rankOf = (module: string): number | undefined => {
  const rank = layers.findIndex((layer) => layer.includes(module))
  return rank === -1 ? undefined : rank
}

type Graph = ReadonlyMap<string, ReadonlySet<string>>

const importPattern =
  /(?:^|\n)\s*(?:import|export)[^'"]*?from\s+["'](\.[^"']+)["']|import\(\s*["'](\.[^"']+)["']\s*\)/g

const sourceFiles = (dir: string): Array<string> =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith(".ts") ? [path] : []
  })

/** Every relative import of the sources below `root`, file to files, paths relative to `root`. */
const fileGraph = (root: string): Graph => {
  const graph = new Map<string, Set<string>>()
  for (const path of sourceFiles(root)) {
    const targets = new Set<string>()
    for (const match of readFileSync(path, "utf8").matchAll(importPattern)) {
      const specifier = match[1] ?? match[2]!
      targets.add(
        relative(root, resolve(dirname(path), specifier))
          .split("\\")
          .join("/")
      )
    }
    graph.set(relative(root, path).split("\\").join("/"), targets)
  }
  return graph
}

/** The module graph: which modules import which other modules. */
const moduleGraph = (files: Graph): Graph => {
  const graph = new Map<string, Set<string>>()
  for (const [file, targets] of files) {
    const from = moduleOf(file)
    const edges = graph.get(from) ?? new Set<string>()
    graph.set(from, edges)
    for (const target of targets) if (moduleOf(target) !== from) edges.add(moduleOf(target))
  }
  return graph
}

/** The import loops of a graph, each as a path that comes back to its first node. */
const loops = (graph: Graph): Array<Array<string>> => {
  const found: Array<Array<string>> = []
  const done = new Set<string>()
  const visit = (node: string, path: Array<string>): void => {
    const at = path.indexOf(node)
    if (at !== -1) {
      found.push([...path.slice(at), node])
      return
    }
    if (done.has(node)) return
    for (const next of graph.get(node) ?? []) visit(next, [...path, node])
    done.add(node)
  }
  for (const node of graph.keys()) visit(node, [])
  return found
}

/** The imports that cross into a module of the same or a higher layer, or an unplaced one. */
const upwardImports = (files: Graph): Array<string> =>
  [...files].flatMap(([file, targets]) =>
    [...targets].flatMap((target) => {
      const from = moduleOf(file)
      const to = moduleOf(target)
      if (from === to) return []
      const fromRank = rankOf(from)
      const toRank = rankOf(to)
      if (fromRank === undefined) return [`${file}: module "${from}" is not in the layer order`]
      if (toRank === undefined) return [`${target}: module "${to}" is not in the layer order`]
      return toRank < fromRank ? [] : [`${file} (${from}) imports ${target} (${to})`]
    })
  )

const graphOf = (edges: Record<string, ReadonlyArray<string>>): Graph =>
  new Map(Object.entries(edges).map(([from, to]) => [from, new Set(to)]))

describe("dependency rules", () => {
  it("the core imports only effect", () => {
    assertImportsOnly(new URL("../src", import.meta.url), [/^effect(\/|$)/])
  })

  it("no import loop between the core's files", () => {
    assert.deepStrictEqual(loops(fileGraph(src)), [])
  })

  it("no import loop between the core's feature folders", () => {
    assert.deepStrictEqual(loops(moduleGraph(fileGraph(src))), [])
  })

  it("every import points down the layer order", () => {
    assert.deepStrictEqual(upwardImports(fileGraph(src)), [])
  })

  it("the checks catch a loop and an upward import", () => {
    const files = graphOf({
      "kernel/Ids.ts": [],
      "ledger/Ledger.ts": ["kernel/Ids.ts"],
      "inventory/Units.ts": ["ledger/Ledger.ts", "waitlist/Offers.ts"],
      "waitlist/Offers.ts": ["inventory/Units.ts"],
      "ledger/Schedule.ts": ["identity/Members.ts"],
      "identity/Members.ts": [],
      "kernel/Errors.ts": ["Rota.ts"],
      "Rota.ts": [],
      "shipping/Parcels.ts": ["kernel/Ids.ts"]
    })
    assert.deepStrictEqual(loops(files), [["inventory/Units.ts", "waitlist/Offers.ts", "inventory/Units.ts"]])
    assert.deepStrictEqual(loops(moduleGraph(files)), [["inventory", "waitlist", "inventory"]])
    assert.deepStrictEqual(upwardImports(files), [
      "inventory/Units.ts (inventory) imports waitlist/Offers.ts (waitlist)",
      "ledger/Schedule.ts (ledger) imports identity/Members.ts (identity)",
      "kernel/Errors.ts (kernel) imports Rota.ts (app)",
      'shipping/Parcels.ts: module "shipping" is not in the layer order'
    ])
  })
})
