import { readdirSync, readFileSync } from "node:fs"
import { dirname, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { assertImportsOnly } from "../../../scripts/importRules.ts"

const src = fileURLToPath(new URL("../src", import.meta.url))
const apiFiles = [`${src}/api.ts`, ...readdirSync(`${src}/api`).map((name) => `${src}/api/${name}`)]

/** The files below `src/server/<folder>` that import a module of `src/server/<forbidden>`. */
const serverFolderImports = (folder: string, forbidden: string): Array<string> => {
  const dir = `${src}/server/${folder}`
  const banned = resolve(src, "server", forbidden)
  return readdirSync(dir).flatMap((name) => {
    const file = `${dir}/${name}`
    return [...readFileSync(file, "utf8").matchAll(/from\s+"(\.[^"]+)"/g)].flatMap(([, specifier = ""]) =>
      resolve(dirname(file), specifier).startsWith(`${banned}/`)
        ? [`${relative(src, file)} imports ${specifier}`]
        : []
    )
  })
}

describe("dependency rules", () => {
  it("@rota/http/api imports only effect and @rota/core: no server code, nothing Node-only", () => {
    assertImportsOnly(src, [/^effect(\/|$)/, /^@rota\/core$/], apiFiles)
  })

  it("the server imports the core, storage-pg, effect, the Node platform, its auth libraries, its mailer and its renderers", () => {
    assertImportsOnly(src, [
      /^effect(\/|$)/,
      /^@rota\/(core|storage-pg)$/,
      // Modules of the Node platform by name: its index loads all of them (the Redis client too).
      /^@effect\/platform-node\/Node(HttpServer|Redis|Runtime|Services)$/,
      /^jose$/,
      /^nodemailer$/,
      /^@node-rs\/argon2$/,
      // Calendar files, QR codes and the CLI's progress bar.
      /^ical-generator$/,
      /^qrcode$/,
      /^cli-progress$/,
      /^node:/
    ])
  })

  it("handlers reach adapters only through the use cases the composition gives them", () => {
    assert.deepStrictEqual(serverFolderImports("handlers", "adapters"), [])
  })

  it("adapters know nothing of requests: they import neither the edge nor the handlers", () => {
    assert.deepStrictEqual(
      [...serverFolderImports("adapters", "edge"), ...serverFolderImports("adapters", "handlers")],
      []
    )
  })
})
