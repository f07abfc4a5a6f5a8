import { brotliDecompressSync, gunzipSync } from "node:zlib"
import { assert, describe, it, layer } from "@effect/vitest"
import { Effect } from "effect"
import { negotiate } from "../src/server/handlers/DocsPage.ts"
import { TestServer } from "../src/testing.ts"
import * as Stores from "./fixtures/Stores.ts"

// fetch would decompress on its own; node:http shows the bytes as they travel.
const raw = (path: string, headers: Record<string, string> = {}) =>
  Effect.gen(function* () {
    const { url } = yield* TestServer.TestServer
    const { request } = yield* Effect.promise(() => import("node:http"))
    return yield* Effect.promise(
      () =>
        new Promise<{ status: number; headers: Record<string, string | undefined>; bytes: Buffer }>(
          (resolve, reject) => {
            const outgoing = request(`${url}${path}`, { headers }, (incoming) => {
              const chunks: Array<Buffer> = []
              incoming.on("data", (chunk: Buffer) => chunks.push(chunk))
              incoming.on("end", () =>
                resolve({
                  status: incoming.statusCode ?? 0,
                  headers: incoming.headers as Record<string, string | undefined>,
                  bytes: Buffer.concat(chunks)
                })
              )
            })
            outgoing.on("error", reject)
            outgoing.end()
          }
        )
    )
  })

describe("negotiate", () => {
  it("prefers brotli, then gzip, and honours q=0", () => {
    assert.strictEqual(negotiate("gzip, deflate, br"), "br")
    assert.strictEqual(negotiate("gzip"), "gzip")
    assert.strictEqual(negotiate("br;q=0, gzip;q=0.5"), "gzip")
    assert.strictEqual(negotiate("*"), "br")
    assert.strictEqual(negotiate("identity"), "identity")
    assert.strictEqual(negotiate(undefined), "identity")
    assert.strictEqual(negotiate("br;q=0, gzip;q=0"), "identity")
  })
})

describe("the docs page", () => {
  layer(TestServer.layer(Stores.stores()[0]!.layer), { timeout: 60_000, excludeTestServices: true })(
    "",
    (it) => {
      it.effect("loads no web fonts and nothing else from the internet", () =>
        Effect.gen(function* () {
          const page = yield* raw("/docs")
          assert.strictEqual(page.status, 200)
          const html = page.bytes.toString("utf8")
          assert.include(html, '"withDefaultFonts":false')
          assert.include(html, "--scalar-font: system-ui")
          assert.notMatch(html, /<(script|link)[^>]+(src|href)="https?:/)
          assert.match(page.headers["content-security-policy"] ?? "", /font-src 'self' data:/)
        })
      )

      it.effect("is served compressed, brotli or gzip, and decompresses to the same page", () =>
        Effect.gen(function* () {
          const plain = yield* raw("/docs")
          assert.isUndefined(plain.headers["content-encoding"])
          const br = yield* raw("/docs", { "accept-encoding": "gzip, br" })
          assert.strictEqual(br.headers["content-encoding"], "br")
          assert.strictEqual(br.headers.vary, "accept-encoding")
          const gz = yield* raw("/docs", { "accept-encoding": "gzip" })
          assert.strictEqual(gz.headers["content-encoding"], "gzip")
          assert.deepStrictEqual(brotliDecompressSync(br.bytes), plain.bytes)
          assert.deepStrictEqual(gunzipSync(gz.bytes), plain.bytes)
          // The page is megabytes of viewer and document; compressed it is a fraction.
          assert.isAbove(plain.bytes.byteLength, 1_000_000)
          assert.isBelow(br.bytes.byteLength, plain.bytes.byteLength / 4)
          assert.isBelow(gz.bytes.byteLength, plain.bytes.byteLength / 3)
        })
      )

      it.effect("carries an ETag and a public cache, and answers 304 to a revalidation", () =>
        Effect.gen(function* () {
          for (const [path, encoding] of [
            ["/docs", "br"],
            ["/docs", "gzip"],
            ["/openapi.json", "gzip"],
            ["/openapi.json", ""]
          ] as const) {
            const first = yield* raw(path, { "accept-encoding": encoding })
            assert.strictEqual(first.status, 200, path)
            const etag = first.headers.etag
            assert.match(etag ?? "", /^"[A-Za-z0-9_-]+(-br|-gz)?"$/)
            assert.strictEqual(first.headers["cache-control"], "public, max-age=300, must-revalidate")
            const again = yield* raw(path, { "accept-encoding": encoding, "if-none-match": etag! })
            assert.strictEqual(again.status, 304, `${path} ${encoding}`)
            assert.strictEqual(again.bytes.byteLength, 0)
            assert.strictEqual(again.headers.etag, etag)
          }
          // Each encoding is its own representation: one's tag does not validate another.
          const br = yield* raw("/docs", { "accept-encoding": "br" })
          const gz = yield* raw("/docs", { "accept-encoding": "gzip", "if-none-match": br.headers.etag! })
          assert.strictEqual(gz.status, 200)
        })
      )

      it.effect("keeps no-store on API answers", () =>
        Effect.map(raw("/health", { "accept-encoding": "br" }), (answer) => {
          assert.strictEqual(answer.headers["cache-control"], "no-store")
          assert.isUndefined(answer.headers["content-encoding"])
        })
      )
    }
  )
})
