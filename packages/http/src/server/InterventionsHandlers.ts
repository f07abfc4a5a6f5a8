/**
 * Interventions and documents routes: each handler turns the request into a use-case call.
 * The upload route reads a multipart body, which is binary: the documents group has its own
 * input guard that reads such a body once, within the upload limit, instead of checking it as
 * text, and the handler takes the file out of those bytes only once the use case has checked
 * the caller may add it.
 *
 * @since 0.1.0
 */
import { Document, Documents, Errors, Interventions, Pagination, RequestContext } from "@rota/core"
import { Array as Arr, ByteSize, Effect, Layer, Option, Stream } from "effect"
import {
  HttpIncomingMessage,
  HttpServerRequest,
  HttpServerRespondable,
  HttpServerResponse,
  Multipart
} from "effect/http"
import { HttpApiBuilder } from "effect/http-api"
import { Api } from "../api/Api.ts"
import * as Problems from "../api/Problems.ts"
import { InputGuard } from "../api/RequestValidation.ts"
import { toProblems } from "./ErrorTable.ts"
import * as Preconditions from "./Preconditions.ts"
import * as RequestValidationLive from "./RequestValidationLive.ts"
import { ServerConfig } from "./ServerConfig.ts"

// The largest multipart body of an upload: the file, plus room for the framing around it
// (boundaries, part headers, a long file name).
const uploadBodyLimit = (maxUploadBytes: number) => ByteSize.bytes(maxUploadBytes + 64 * 1024)

const pageOf = (query: { readonly limit?: number; readonly cursor?: string }) => ({
  limit: query.limit ?? Pagination.defaultLimit,
  cursor: query.cursor
})

const isMultipart = (request: HttpServerRequest.HttpServerRequest) =>
  (request.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/form-data")

const interventionsHandlers = HttpApiBuilder.group(
  Api,
  "interventions",
  Effect.fn(function* (handlers) {
    const interventions = yield* Interventions.Interventions
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          interventions.list({
            ...pageOf(query),
            includeDeleted: query.includeDeleted,
            sort: query.sort === undefined ? undefined : Pagination.parseSort(query.sort),
            filters: {
              statuses: query.status,
              kinds: query.kind,
              priorities: query.priority,
              technicianId: query.technicianId,
              technicianUsername: query.technicianUsername,
              clientId: query.clientId,
              clientUsername: query.clientUsername,
              resourceId: query.resourceId,
              q: query.q,
              from: query.from,
              to: query.to
            }
          })
        )
      )
      .handle("create", ({ payload }) => toProblems(interventions.create(payload)))
      .handle("get", ({ params, query }) => toProblems(interventions.get(params.id, query)))
      .handle("update", ({ params, headers, payload }) =>
        toProblems(interventions.update(params.id, Preconditions.ifMatch(headers, true), payload))
      )
      .handle("remove", ({ params, headers }) =>
        toProblems(interventions.remove(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("restore", ({ params, headers }) =>
        toProblems(interventions.restore(params.id, Preconditions.ifMatch(headers, false)))
      )
      .handle("listEvents", ({ params, query }) =>
        toProblems(interventions.timeline(params.id, pageOf(query)))
      )
      .handle("addNote", ({ params, payload }) => toProblems(interventions.addNote(params.id, payload)))
      .handle("assign", ({ params, headers, payload }) =>
        toProblems(interventions.assign(params.id, Preconditions.ifMatch(headers, false), payload))
      )
      .handle("listParts", ({ params, query }) =>
        toProblems(interventions.partsUsed(params.id, pageOf(query)))
      )
      .handle("useParts", ({ params, headers, payload }) =>
        toProblems(interventions.useParts(params.id, Preconditions.ifMatch(headers, false), payload))
      )
      .handle("leaderboard", ({ query }) => toProblems(interventions.leaderboard(query)))
  })
)

const malformed = (message: string) =>
  new Errors.ValidationFailed({ errors: [{ path: ["body", "file"], message }] })

/**
 * The one file of a multipart upload (form field `file`), from the body the guard has read.
 * Anything but a multipart body is refused as an unsupported type; a file past `limit` bytes as
 * too large.
 *
 * @since 0.1.0
 * @category uploads
 */
export const readUpload = (
  request: HttpServerRequest.HttpServerRequest,
  limit: number
): Effect.Effect<
  Documents.Upload,
  Document.DocumentTooLarge | Document.UnsupportedDocumentType | Errors.ValidationFailed
> =>
  Effect.gen(function* () {
    if (!isMultipart(request))
      return yield* new Document.UnsupportedDocumentType({
        declared: request.headers["content-type"] ?? "",
        detected: null
      })
    const tooLarge = new Document.DocumentTooLarge({ limit })
    const body = yield* Effect.mapError(request.arrayBuffer, () => tooLarge)
    const files = yield* Stream.make(new Uint8Array(body)).pipe(
      Stream.pipeThroughChannel(Multipart.makeChannel(request.headers)),
      Stream.mapEffect((part) =>
        Multipart.isFile(part)
          ? Effect.map(part.contentEffect, (bytes) => Option.some({ part, bytes }))
          : Effect.succeedNone
      ),
      Stream.runCollect,
      Effect.map(Arr.getSomes),
      // The whole body is bounded (the guard read it within the same bound); the file's own
      // limit is checked on its bytes, as the parser counts part of the framing into a part.
      Effect.provideService(HttpIncomingMessage.MaxBodySize, uploadBodyLimit(limit)),
      Effect.catch((error) =>
        Effect.fail(
          error.reason._tag === "FileTooLarge" || error.reason._tag === "BodyTooLarge"
            ? tooLarge
            : malformed("Expected a multipart/form-data body")
        )
      )
    )
    const [file, ...others] = files
    if (file === undefined || file.part.key !== "file" || others.length > 0)
      return yield* malformed("Expected exactly one file, in the form field `file`")
    if (file.bytes.length > limit) return yield* tooLarge
    return { filename: file.part.name, contentType: file.part.contentType, bytes: file.bytes }
  })

// `attachment`, with an ASCII fallback name and the exact name in RFC 5987 form.
const contentDisposition = (filename: string) =>
  `attachment; filename="${filename.replace(/[^\x20-\x7e]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(filename)}`

const documentsHandlers = HttpApiBuilder.group(
  Api,
  "documents",
  Effect.fn(function* (handlers) {
    const documents = yield* Documents.Documents
    const config = yield* ServerConfig
    return handlers
      .handleRaw("upload", ({ params, request }) =>
        toProblems(documents.upload(params.id, readUpload(request, config.maxUploadBytes)))
      )
      .handle("list", ({ params, query }) => toProblems(documents.list(params.id, pageOf(query))))
      .handle("download", ({ params }) =>
        toProblems(
          Effect.map(documents.download(params.id), ({ document, bytes }) =>
            HttpServerResponse.uint8Array(bytes, {
              contentType: document.contentType,
              headers: {
                "content-disposition": contentDisposition(document.filename),
                "x-content-type-options": "nosniff"
              }
            })
          )
        )
      )
      .handle("remove", ({ params }) => toProblems(documents.remove(params.id)))
  })
)

/**
 * The documents group's input guard. JSON requests get the standard guard. A multipart upload is
 * binary, so it is not checked as text: its body is read here once, within the upload limit
 * (413 beyond), and every later reader (the idempotency fingerprint, the upload handler) gets
 * those bytes; its query must be empty, as the upload route declares none.
 *
 * @since 0.1.0
 * @category middleware
 */
export const documentsInputGuard = Layer.effect(
  InputGuard,
  Effect.gen(function* () {
    const standard = yield* InputGuard
    const config = yield* ServerConfig
    const maxBodySize = uploadBodyLimit(config.maxUploadBytes)
    return InputGuard.of((httpEffect, options) =>
      Effect.gen(function* () {
        const request = yield* HttpServerRequest.HttpServerRequest
        if (!isMultipart(request)) return yield* standard(httpEffect, options)
        const requestId = yield* RequestContext.CurrentRequestId
        const query = Object.keys(yield* HttpServerRequest.ParsedSearchParams)
        if (query.length > 0)
          return yield* new Problems.ValidationFailed({
            requestId,
            errors: query.map((name) => ({ path: ["query", name], message: "Unknown query parameter" }))
          })
        const read = yield* Effect.result(
          Effect.provideService(request.arrayBuffer, HttpIncomingMessage.MaxBodySize, maxBodySize)
        )
        // The guard may answer only `validation_failed` itself, so a body past the limit is
        // answered as the 413 response it is.
        if (read._tag === "Failure")
          return yield* HttpServerRespondable.toResponse(new Problems.PayloadTooLarge({ requestId }))
        return yield* httpEffect
      })
    )
  })
).pipe(Layer.provide(RequestValidationLive.inputGuard))

/**
 * @since 0.1.0
 * @category handlers
 */
export const layer = Layer.mergeAll(
  interventionsHandlers,
  documentsHandlers.pipe(Layer.provide(documentsInputGuard))
)
