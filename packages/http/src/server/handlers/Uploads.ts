/**
 * File uploads: which requests carry one, and how large their body may be.
 *
 * @since 0.1.0
 */
import { ByteSize } from "effect"
import type { HttpServerRequest } from "effect/http"

/**
 * The largest multipart body of an upload: the file, plus room for the framing around it
 * (boundaries, part headers, a long file name).
 *
 * @since 0.1.0
 * @category limits
 */
export const uploadBodyLimit = (maxUploadBytes: number) => ByteSize.bytes(maxUploadBytes + 64 * 1024)

/**
 * Whether the request carries a multipart upload (binary, never checked as text).
 *
 * @since 0.1.0
 * @category requests
 */
export const isMultipart = (request: HttpServerRequest.HttpServerRequest): boolean =>
  (request.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/form-data")

/**
 * Whether the request carries a CSV file (an import), read within the import limit rather than
 * the JSON body limit.
 *
 * @since 0.1.0
 * @category requests
 */
export const isCsv = (request: HttpServerRequest.HttpServerRequest): boolean =>
  (request.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase() === "text/csv"
