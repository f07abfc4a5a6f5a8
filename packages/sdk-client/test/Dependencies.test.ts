import { describe, it } from "@effect/vitest"
import { assertImportsOnly } from "../../../scripts/importRules.ts"

describe("dependency rules", () => {
  it("the SDK imports only effect and the server-free API definition, nothing Node-only", () => {
    assertImportsOnly(new URL("../src", import.meta.url), [/^effect(\/|$)/, /^@rota\/http\/api$/])
  })
})
