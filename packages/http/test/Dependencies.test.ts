import { readdirSync } from "node:fs"
import { fileURLToPath } from "node:url"
import { describe, it } from "@effect/vitest"
import { assertImportsOnly } from "../../../scripts/importRules.ts"

const src = fileURLToPath(new URL("../src", import.meta.url))
const apiFiles = [`${src}/api.ts`, ...readdirSync(`${src}/api`).map((name) => `${src}/api/${name}`)]

describe("dependency rules", () => {
  it("@rota/http/api imports only effect and @rota/core: no server code, nothing Node-only", () => {
    assertImportsOnly(src, [/^effect(\/|$)/, /^@rota\/core$/], apiFiles)
  })

  it("the server imports the core, storage-pg, effect, the Node platform, its auth libraries, its mailer and its renderers", () => {
    assertImportsOnly(src, [
      /^effect(\/|$)/,
      /^@rota\/(core|storage-pg)$/,
      /^@effect\/platform-node$/,
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
})
