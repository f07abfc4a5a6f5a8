import { describe, it } from "@effect/vitest"
import { assertImportsOnly } from "../../../scripts/importRules.ts"

describe("dependency rules", () => {
  it("the core imports only effect", () => {
    assertImportsOnly(new URL("../src", import.meta.url), [/^effect(\/|$)/])
  })
})
