/**
 * The headers the edge puts on every answer: the security headers, the content security policy
 * of what is served, and the request id.
 *
 * @since 0.1.0
 */
import { HttpServerResponse } from "effect/http"
import * as DocsPage from "../handlers/DocsPage.ts"
import * as SecretPaths from "./SecretPaths.ts"

const securityHeaders = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=()",
  "cache-control": "no-store"
} as const

// Everything but the docs page is data, which needs no script, style or frame.
const apiCsp = "default-src 'none'; frame-ancestors 'none'"
// The docs page runs its bundled reference viewer inline and loads nothing from elsewhere.
const docsCsp =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'"

// The intake form posts to itself and shows nothing but its own markup and styles.
const intakeCsp = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'"

/**
 * `response` to the request for `url`, with the edge's headers.
 *
 * @since 0.1.0
 * @category headers
 */
export const withEdgeHeaders = (
  response: HttpServerResponse.HttpServerResponse,
  url: string,
  requestId: string
): HttpServerResponse.HttpServerResponse => {
  // The docs page and the OpenAPI document set their own (public) cache; nothing else may.
  const ownCache = DocsPage.isDocument(url) ? response.headers["cache-control"] : undefined
  // One `setHeaders`: each call copies the response and its headers.
  return HttpServerResponse.setHeaders(response, {
    ...securityHeaders,
    ...(ownCache === undefined ? {} : { "cache-control": ownCache }),
    "x-request-id": requestId,
    "content-security-policy": url.startsWith("/docs")
      ? docsCsp
      : url.startsWith(SecretPaths.intakeForm)
        ? intakeCsp
        : apiCsp
  })
}
