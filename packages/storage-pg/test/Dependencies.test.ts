import { describe, it } from "@effect/vitest"
import { assertImportsOnly } from "../../../scripts/importRules.ts"

describe("dependency rules", () => {
  it("storage-pg imports the core, effect, its SQL drivers and Node built-ins only", () => {
    assertImportsOnly(new URL("../src", import.meta.url), [
      /^effect(\/|$)/,
      /^@rota\/core(\/testing)?$/,
      /^@effect\/sql-pg$/,
      /^@electric-sql\/pglite(\/|$)/,
      /^node:/
    ])
  })
})
