/**
 * The docs page (`/docs`) and the OpenAPI document (`/openapi.json`) as browsers should get them:
 * the page uses the system fonts instead of fetching web fonts, and both documents are served
 * compressed (brotli or gzip, as the client accepts) with an ETag and a short public cache, so a
 * second visit costs a 304.
 *
 * @since 0.1.0
 */
import { createHash } from "node:crypto"
import { brotliCompressSync, constants, gzipSync } from "node:zlib"
import { Effect } from "effect"
import { HttpBody, HttpRouter, HttpServerRequest, HttpServerResponse } from "effect/http"
import type { HttpApiScalar } from "effect/http-api"
import * as Preconditions from "../edge/Preconditions.ts"

/**
 * The reference viewer's settings: no web fonts (they would come from the viewer's CDN, which the
 * page's CSP refuses anyway); the system's own fonts instead.
 *
 * @since 0.1.0
 * @category constants
 */
export const scalar: HttpApiScalar.ScalarConfig = {
  withDefaultFonts: false,
  customCss:
    ":root { --scalar-font: system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif; " +
    "--scalar-font-code: ui-monospace, SFMono-Regular, Menlo, Consolas, 'Liberation Mono', monospace; }"
}

/**
 * How long browsers and proxies may reuse the documents before revalidating them.
 *
 * @since 0.1.0
 * @category constants
 */
export const cacheControl = "public, max-age=300, must-revalidate"

const documents = new Set(["/docs", "/openapi.json"])

/**
 * Whether a request URL names one of the cached documents.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isDocument = (url: string): boolean => documents.has(url.split("?")[0]!)

type Encoding = "br" | "gzip" | "identity"

interface Variant {
  readonly bytes: Uint8Array
  readonly etag: string
}

// Both documents are built once per process, so each encoding of them is compressed once, on
// its first request: the cache is keyed by the body object the memoised route answers with.
// Brotli at quality 5 gets within 3% of its best size in a quarter of the time.
const variantsCache = new WeakMap<
  HttpBody.HttpBody,
  { readonly digest: string; readonly variants: Map<Encoding, Variant> }
>()

const compress: Record<Encoding, (bytes: Uint8Array) => Uint8Array> = {
  identity: (bytes) => bytes,
  br: (bytes) =>
    brotliCompressSync(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: 5,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.byteLength
      }
    }),
  gzip: (bytes) => gzipSync(bytes, { level: 6 })
}

const suffix: Record<Encoding, string> = { identity: "", br: "-br", gzip: "-gz" }

const variantOf = (body: HttpBody.Uint8Array, encoding: Encoding): Variant => {
  let entry = variantsCache.get(body)
  if (entry === undefined) {
    entry = {
      digest: createHash("sha256").update(body.body).digest("base64url").slice(0, 27),
      variants: new Map()
    }
    variantsCache.set(body, entry)
  }
  const cached = entry.variants.get(encoding)
  if (cached !== undefined) return cached
  const variant = { bytes: compress[encoding](body.body), etag: `"${entry.digest}${suffix[encoding]}"` }
  entry.variants.set(encoding, variant)
  return variant
}

/**
 * The encoding to answer with for an `Accept-Encoding` header: brotli, then gzip, then none;
 * a coding with `q=0` is refused.
 *
 * @since 0.1.0
 * @category negotiation
 */
export const negotiate = (acceptEncoding: string | undefined): Encoding => {
  const accepted = new Map<string, number>()
  for (const part of (acceptEncoding ?? "").split(",")) {
    const [name, ...parameters] = part.trim().toLowerCase().split(";")
    if (name === undefined || name.length === 0) continue
    const q = parameters.map((parameter) => parameter.trim()).find((parameter) => parameter.startsWith("q="))
    accepted.set(name, q === undefined ? 1 : Number(q.slice(2)) || 0)
  }
  const allows = (name: string) => (accepted.get(name) ?? accepted.get("*") ?? 0) > 0
  return allows("br") ? "br" : allows("gzip") ? "gzip" : "identity"
}

/**
 * Compresses and caches the two documents; every other response passes through untouched.
 *
 * @since 0.1.0
 * @category middleware
 */
export const layer = HttpRouter.middleware(
  (httpEffect) =>
    Effect.gen(function* () {
      const request = yield* HttpServerRequest.HttpServerRequest
      const response = yield* httpEffect
      if (
        !isDocument(request.url) ||
        (request.method !== "GET" && request.method !== "HEAD") ||
        response.status !== 200 ||
        response.body._tag !== "Uint8Array"
      ) {
        return response
      }
      const encoding = negotiate(request.headers["accept-encoding"])
      const variant = variantOf(response.body, encoding)
      const headers = {
        etag: variant.etag,
        "cache-control": cacheControl,
        vary: "accept-encoding",
        ...(encoding === "identity" ? {} : { "content-encoding": encoding })
      }
      if (Preconditions.isNotModified(request.headers["if-none-match"], variant.etag)) {
        return HttpServerResponse.empty({ status: 304, headers })
      }
      return HttpServerResponse.setHeaders(
        HttpServerResponse.setBody(response, HttpBody.uint8Array(variant.bytes, response.body.contentType)),
        headers
      )
    }),
  { global: true }
)
