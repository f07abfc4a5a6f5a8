/**
 * The steps of the documents use case: what it works with, the visible document, and uploading,
 * downloading and deleting, each write with its audit event and message in one transaction.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import type * as Audit from "../kernel/Audit.ts"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as ChangeRecord from "../kernel/ChangeRecord.ts"
import { NotFound } from "../kernel/Errors.ts"
import { type Ids, nextId, Uuid } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import { Document, DocumentId, sanitizeFilename, typeOf } from "./Document.ts"
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
 * @category constructors
 */
export const make = Effect.gen(function* () {
  return {
    interventions: yield* Interventions,
    documents: yield* DocumentRepo,
    store: yield* DocumentStore,
    transactor: yield* Transactor,
    services: yield* Effect.context<AuditLog | Outbox.Outbox | Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>

const hex = (buffer: ArrayBuffer): string =>
  Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("")

// Web Crypto, which Node, Deno, Bun and browsers all have.
const sha256 = (bytes: Uint8Array) =>
  Effect.map(
    Effect.promise(() => globalThis.crypto.subtle.digest("SHA-256", new Uint8Array(bytes))),
    hex
  )

const recordChange = (deps: Deps, action: Audit.AuditAction, before: Document | null, after: Document) =>
  ChangeRecord.record(
    { entityType: "document", entityId: after.id, action, before, after },
    {
      orgId: after.orgId,
      topic: action === "CREATE" ? "document.created" : "document.deleted",
      payload: { id: after.id, interventionId: after.interventionId }
    }
  ).pipe(Effect.provide(deps.services))

// A live document of an intervention the caller may see.
const visible = (deps: Deps, id: string) =>
  Effect.gen(function* () {
    yield* Permissions.require(access.read)
    const actor = yield* CurrentActor
    const found = yield* deps.documents.find(actor.orgId, id)
    if (Option.isNone(found)) return yield* new NotFound({ entity: "document", id })
    yield* Effect.mapError(deps.interventions.get(found.value.interventionId), (error) =>
      error._tag === "NotFound" ? new NotFound({ entity: "document", id }) : error
    )
    return found.value
  })

/**
 * Attaches a file to a live intervention; `file` runs only once the caller is known to be allowed.
 *
 * @since 0.1.0
 * @category steps
 */
export const upload =
  (deps: Deps) =>
  <E>(interventionId: string, file: Effect.Effect<Upload, E>) =>
    Effect.gen(function* () {
      yield* Permissions.require(access.write)
      const intervention = yield* deps.interventions.get(interventionId)
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
      return yield* deps.transactor.withTransaction(
        Effect.gen(function* () {
          yield* deps.store.put(actor.orgId, document.storageKey, upload.bytes)
          yield* deps.documents.insert(document)
          yield* recordChange(deps, "CREATE", null, document)
          return document
        })
      )
    }).pipe(Effect.provide(deps.services))

/**
 * The document and its bytes.
 *
 * @since 0.1.0
 * @category steps
 */
export const download = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    const document = yield* visible(deps, id)
    const bytes = yield* deps.store.get(document.orgId, document.storageKey)
    // Metadata without bytes would be a broken store, not a missing document.
    if (Option.isNone(bytes)) return yield* Effect.die(new Error(`document ${id} has no stored bytes`))
    return { document, bytes: bytes.value }
  })

/**
 * @since 0.1.0
 * @category steps
 */
export const remove = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string) {
    yield* Permissions.require(access.write)
    const before = yield* visible(deps, id)
    yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const after = yield* deps.documents.softDelete(before.orgId, id, yield* DateTime.now)
        if (Option.isNone(after)) return yield* new NotFound({ entity: "document", id })
        // The bytes go at once: a deleted photo or invoice should not linger in storage.
        yield* deps.store.remove(before.orgId, before.storageKey)
        yield* recordChange(deps, "SOFT_DELETE", before, after.value)
      })
    )
  })
