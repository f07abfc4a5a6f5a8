import { fileURLToPath } from "node:url"
import { assert, describe, it } from "@effect/vitest"
import { type AllowList, checkShape, violationsOf } from "../../../scripts/shapeRules.ts"

const src = fileURLToPath(new URL("../src", import.meta.url))

/**
 * The files of the core not yet brought into shape, and the rules each still breaks. A file leaves
 * the list when it is split; the test fails when an entry is no longer needed, so the list only
 * shrinks.
 */
const notYetInShape: AllowList = {}

describe("shape", () => {
  it("no source file over 300 lines, no function over 80, every service method a named Effect.fn", () => {
    const { unexpected, stale } = checkShape(src, notYetInShape)
    assert.strictEqual(unexpected, "")
    assert.deepStrictEqual(stale, [])
  })

  it("the scan finds a long file, a long function and a service method that is not a named Effect.fn", () => {
    const body = Array.from({ length: 81 }, (_, i) => `  const x${i} = ${i}`).join("\n")
    const source = [
      `const long = () => {\n${body}\n}`,
      "export const layer = Layer.effect(S, Effect.gen(function* () {",
      '  const named = Effect.fn("S.named")(function* () {})',
      "  const plain = () => Effect.void",
      '  return S.of({ named, plain, untraced: Effect.fnUntraced(function* () {}), bad: Effect.fn("x")(() => Effect.void) })',
      "}))",
      ...Array.from({ length: 220 }, () => "")
    ].join("\n")
    const found = violationsOf("S.ts", source).map((violation) => `${violation.rule} ${violation.message}`)
    assert.deepStrictEqual(found, [
      "file-length 307 lines (max 300)",
      "function-length function long is 83 lines (max 80)",
      "named-method service method plain is a plain function, not Effect.fn",
      "named-method service method untraced is Effect.fnUntraced, not a named Effect.fn",
      'named-method service method bad is Effect.fn without a "Service.method" span name'
    ])
  })
})
