/**
 * Interventions and documents routes: each handler turns the request into a use-case call.
 * The upload route reads a multipart body, which is binary: the documents group has its own
 * input guard that reads such a body once, within the upload limit, instead of checking it as
 * text, and the handler takes the file out of those bytes only once the use case has checked
 * the caller may add it.
 *
 * @since 0.1.0
 */

import { Document, Documents, Errors, Interventions, Pagination } from "@rota/core"
import { Array as Arr, Effect, Layer, Option, Stream } from "effect"
import { HttpIncomingMessage, type HttpServerRequest, HttpServerResponse, Multipart } from "effect/http"
import { Api } from "../../api/Api.ts"
import * as Preconditions from "../edge/Preconditions.ts"
import { ServerConfig } from "../ServerConfig.ts"
import { toProblems } from "./ErrorTable.ts"
import * as HandlerGroup from "./HandlerGroup.ts"
import { paged } from "./Listing.ts"
import { isMultipart, uploadBodyLimit } from "./Uploads.ts"

const pageOf = (query: { readonly limit?: number; readonly cursor?: string }) => ({
  limit: query.limit ?? Pagination.defaultLimit,
  cursor: query.cursor
})

const interventionsHandlers = HandlerGroup.group(
  Api,
  "interventions",
  Effect.fn(function* (handlers) {
    const interventions = yield* Interventions.Interventions
    return handlers
      .handle("list", ({ query }) =>
        toProblems(
          paged(query, (page) =>
            interventions.list({
              ...page,
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
      .handle("postEvent", ({ params, payload }) => toProblems(interventions.postEvent(params.id, payload)))
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

const documentsHandlers = HandlerGroup.group(
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
 * @since 0.1.0
 * @category handlers
 */
export const layer = Layer.mergeAll(interventionsHandlers, documentsHandlers)
