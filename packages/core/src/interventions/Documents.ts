/**
 * The documents use case: upload, list, download and delete the files of an intervention.
 * Whoever may see the intervention may read its documents; technicians and up add and delete
 * them. An upload is accepted only when its bytes are of an allowed type, the one declared.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Option } from "effect"
import type * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import { type Forbidden, NotFound, type ValidationFailed } from "../kernel/Errors.ts"
import { type Ids, nextId, Uuid } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import {
  Document,
  DocumentId,
  type DocumentTooLarge,
  sanitizeFilename,
  typeOf,
  type UnsupportedDocumentType
} from "./Document.ts"
import { DocumentRepo, DocumentStore } from "./InterventionRepos.ts"
import { access, Interventions } from "./Interventions.ts"

/**
 * A file as the client sent it: the name and type it declared, and the bytes.
 *
 * @since 0.1.0
 * @category models
 */
export interface Upload {
  readonly filename: string
  readonly contentType: string
  readonly bytes: Uint8Array
}

/**
 * @since 0.1.0
 * @category services
 */
export class Documents extends Context.Service<
  Documents,
  {
    /**
     * Attaches a file to a live intervention. `file` reads the upload; it runs only once the
     * caller is known to be allowed, so nothing is read for a refused request.
     */
    readonly upload: <E>(
      interventionId: string,
      file: Effect.Effect<Upload, E>
    ) => Effect.Effect<
      Document,
      Forbidden | NotFound | UnsupportedDocumentType | DocumentTooLarge | ValidationFailed | E,
      CurrentActor
    >
    readonly list: (
      interventionId: string,
      page: PageRequest
    ) => Effect.Effect<Page<Document>, Forbidden | NotFound | ValidationFailed, CurrentActor>
    /** The document and its bytes. */
    readonly download: (
      id: string
    ) => Effect.Effect<
      { readonly document: Document; readonly bytes: Uint8Array },
      Forbidden | NotFound,
      CurrentActor
    >
    readonly remove: (id: string) => Effect.Effect<void, Forbidden | NotFound, CurrentActor>
  }
>()("@rota/core/interventions/Documents") {}

const hex = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("")

// Web Crypto, which Node, Deno, Bun and browsers all have.
const sha256 = (bytes: Uint8Array) =>
  Effect.map(
    Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", new Uint8Array(bytes))),
    hex
  )

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Documents,
  never,
  Interventions | DocumentRepo | DocumentStore | Transactor | AuditLog | Outbox.Outbox | Ids
> = Layer.effect(
  Documents,
  Effect.gen(function* () {
    const interventions = yield* Interventions
    const documents = yield* DocumentRepo
    const store = yield* DocumentStore
    const transactor = yield* Transactor
    const services = yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()

    const recordChange = (action: Audit.AuditAction, before: Document | null, after: Document) =>
      ChangeRecord.record(
        { entityType: "document", entityId: after.id, action, before, after },
        {
          orgId: after.orgId,
          topic: action === "CREATE" ? "document.created" : "document.deleted",
          payload: { id: after.id, interventionId: after.interventionId }
        }
      ).pipe(Effect.provide(services))

    // A live document of an intervention the caller may see.
    const visible = (id: string) =>
      Effect.gen(function* () {
        yield* Permissions.require(access.read)
        const actor = yield* CurrentActor
        const found = yield* documents.find(actor.orgId, id)
        if (Option.isNone(found)) return yield* new NotFound({ entity: "document", id })
        yield* Effect.mapError(interventions.get(found.value.interventionId), (error) =>
          error._tag === "NotFound" ? new NotFound({ entity: "document", id }) : error
        )
        return found.value
      })

    const upload = <E>(interventionId: string, file: Effect.Effect<Upload, E>) =>
      Effect.gen(function* () {
        yield* Permissions.require(access.write)
        const intervention = yield* interventions.get(interventionId)
        const upload = yield* file
        const contentType = yield* typeOf(upload.contentType, upload.bytes)
        const actor = yield* CurrentActor
        const document = new Document({
          id: yield* nextId(DocumentId),
          orgId: actor.orgId,
          interventionId: intervention.id,
          filename: sanitizeFilename(upload.filename),
          contentType,
          size: upload.bytes.length,
          sha256: yield* sha256(upload.bytes),
          storageKey: Uuid.make(yield* nextId(Uuid)),
          createdBy: actor.accountId,
          createdAt: yield* DateTime.now,
          deletedAt: null
        })
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            yield* store.put(actor.orgId, document.storageKey, upload.bytes)
            yield* documents.insert(document)
            yield* recordChange("CREATE", null, document)
            return document
          })
        )
      }).pipe(Effect.provide(services), Effect.withSpan("Documents.upload"))

    const list: Documents["Service"]["list"] = (interventionId, page) =>
      Effect.flatMap(interventions.get(interventionId), (intervention) =>
        documents.list(intervention.orgId, intervention.id, page)
      )

    const download: Documents["Service"]["download"] = Effect.fn("Documents.download")(function* (id) {
      const document = yield* visible(id)
      const bytes = yield* store.get(document.orgId, document.storageKey)
      // Metadata without bytes would be a broken store, not a missing document.
      if (Option.isNone(bytes)) return yield* Effect.die(new Error(`document ${id} has no stored bytes`))
      return { document, bytes: bytes.value }
    })

    const remove: Documents["Service"]["remove"] = Effect.fn("Documents.remove")(function* (id) {
      yield* Permissions.require(access.write)
      const before = yield* visible(id)
      yield* transactor.withTransaction(
        Effect.gen(function* () {
          const after = yield* documents.softDelete(before.orgId, id, DateTime.toDateUtc(yield* DateTime.now))
          if (Option.isNone(after)) return yield* new NotFound({ entity: "document", id })
          // The bytes go at once: a deleted photo or invoice should not linger in storage.
          yield* store.remove(before.orgId, before.storageKey)
          yield* recordChange("SOFT_DELETE", before, after.value)
        })
      )
    })

    return Documents.of({ upload, list, download, remove })
  })
)
