/**
 * The bundle budget of a page that signs in and books: the example page, bundled and minified
 * for browsers as an app would ship it, stays under 60 KB gzipped, and loads no Effect code.
 */

import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { gzipSync } from "node:zlib"
import { assert, describe, it } from "@effect/vitest"
import { build } from "esbuild"

const example = fileURLToPath(new URL("..", import.meta.url))
const budget = 60 * 1024

describe("the example page's bundle", () => {
  it("is under 60 KB gzipped and holds no Effect module", async () => {
    const result = await build({
      entryPoints: [join(example, "src/main.ts")],
      bundle: true,
      minify: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      conditions: ["@rota/source"],
      metafile: true,
      write: false,
      logLevel: "silent"
    })
    const code = result.outputFiles[0]!.contents
    const gzipped = gzipSync(code, { level: 9 }).length
    assert.isBelow(gzipped, budget, `${code.length} bytes minified, ${gzipped} gzipped`)
    const inputs = Object.keys(result.metafile.inputs)
    assert.deepStrictEqual(
      inputs.filter((input) => input.includes("node_modules/effect/")),
      [],
      "the light clients must not pull in Effect"
    )
    assert.isTrue(inputs.some((input) => input.endsWith("sdk-client/src/LiteClient.ts")))
  })
})
