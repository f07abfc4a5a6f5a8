/**
 * The intervention ports on the {@link MemoryDatabase}: interventions (`MemoryInterventionRepo`),
 * the append-only timeline, the parts used, documents' metadata and documents' bytes, each
 * listed oldest first in keyset pages as on PostgreSQL (`InterventionReposContract` holds both
 * adapters to it). The bytes are in the database too, so they commit or roll back with the
 * metadata.
 *
 * @since 0.1.0
 */
import { type DateTime, Effect, Layer, Option } from "effect"
import { Document } from "../interventions/Document.ts"
import {
  DocumentRepo,
  DocumentStore,
  type InterventionRepo,
  PartUseRepo,
  TimelineRepo
} from "../interventions/InterventionRepos.ts"
import type { PartUse } from "../interventions/PartUse.ts"
import type { TimelineEvent } from "../interventions/TimelineEvent.ts"
import { isUuid, type OrgId } from "../kernel/Ids.ts"
import type { PageRequest } from "../kernel/Pagination.ts"
import { MemoryDatabase, put, remove, rows, type Table } from "./MemoryDatabase.ts"
import * as MemoryInterventionRepo from "./MemoryInterventionRepo.ts"
import { pageOf } from "./MemoryPages.ts"
import { millis } from "./MemoryRecords.ts"

const keyOf = (orgId: string, id: string) => `${orgId}/${id}`

// A page of one intervention's rows, oldest first by `at` then id.
const pageOfRows =
  <A extends { readonly id: string; readonly orgId: OrgId; readonly interventionId: string }>(
    database: MemoryDatabase["Service"],
    table: Table<ReadonlyMap<string, A>>,
    at: (row: A) => DateTime.Utc,
    live: (row: A) => boolean = () => true
  ) =>
  (orgId: OrgId, interventionId: string, page: PageRequest) =>
    Effect.flatMap(database.read(table), (all) =>
      pageOf(
        [...all.values()].filter(
          (row) => row.orgId === orgId && row.interventionId === interventionId && live(row)
        ),
        {
          positionOf: (row) => [millis(at(row)), row.id],
          direction: "asc",
          limit: page.limit,
          cursor: page.cursor
        }
      )
    )

const events = rows<TimelineEvent>("intervention_events")

/**
 * @since 0.1.0
 * @category layers
 */
export const timelineRepo: Layer.Layer<TimelineRepo, never, MemoryDatabase> = Layer.effect(
  TimelineRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const append = Effect.fn("TimelineRepo.append")(function* (event: TimelineEvent) {
      yield* database.modify(
        events,
        (all) => [undefined, put(all, keyOf(event.orgId, event.id), event)] as const
      )
    })
    const list = Effect.fn("TimelineRepo.list")(function* (
      orgId: OrgId,
      interventionId: string,
      page: PageRequest
    ) {
      return yield* pageOfRows(database, events, (event) => event.at)(orgId, interventionId, page)
    })
    return TimelineRepo.of({ append, list })
  })
)

const partUses = rows<PartUse>("intervention_parts")

/**
 * @since 0.1.0
 * @category layers
 */
export const partUseRepo: Layer.Layer<PartUseRepo, never, MemoryDatabase> = Layer.effect(
  PartUseRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const insert = Effect.fn("PartUseRepo.insert")(function* (use: PartUse) {
      yield* database.modify(partUses, (all) => [undefined, put(all, keyOf(use.orgId, use.id), use)] as const)
    })
    const list = Effect.fn("PartUseRepo.list")(function* (
      orgId: OrgId,
      interventionId: string,
      page: PageRequest
    ) {
      return yield* pageOfRows(database, partUses, (use) => use.usedAt)(orgId, interventionId, page)
    })
    return PartUseRepo.of({ insert, list })
  })
)

const documents = rows<Document>("documents")

const isLive = (document: Document) => document.deletedAt === null

/**
 * @since 0.1.0
 * @category layers
 */
export const documentRepo: Layer.Layer<DocumentRepo, never, MemoryDatabase> = Layer.effect(
  DocumentRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const insert = Effect.fn("DocumentRepo.insert")(function* (document: Document) {
      yield* database.modify(
        documents,
        (all) => [undefined, put(all, keyOf(document.orgId, document.id), document)] as const
      )
    })
    const find = Effect.fn("DocumentRepo.find")(function* (orgId: OrgId, id: string) {
      const document = isUuid(id) ? (yield* database.read(documents)).get(keyOf(orgId, id)) : undefined
      return Option.filter(Option.fromNullishOr(document), isLive)
    })
    const list = Effect.fn("DocumentRepo.list")(function* (
      orgId: OrgId,
      interventionId: string,
      page: PageRequest
    ) {
      return yield* pageOfRows(
        database,
        documents,
        (document) => document.createdAt,
        isLive
      )(orgId, interventionId, page)
    })
    const softDelete = Effect.fn("DocumentRepo.softDelete")(function* (
      orgId: OrgId,
      id: string,
      at: DateTime.Utc
    ) {
      return yield* database.modify(
        documents,
        (all): readonly [Option.Option<Document>, ReadonlyMap<string, Document>] => {
          const document = all.get(keyOf(orgId, id))
          if (document === undefined || !isLive(document)) return [Option.none(), all]
          const hidden = new Document({ ...document, deletedAt: at })
          return [Option.some(hidden), put(all, keyOf(orgId, id), hidden)]
        }
      )
    })
    return DocumentRepo.of({ insert, find, list, softDelete })
  })
)

const blobs = rows<Uint8Array>("document_blobs")

/**
 * Documents' bytes in the memory database; a copy is kept and a copy given, so no caller can
 * change what is stored.
 *
 * @since 0.1.0
 * @category layers
 */
export const documentStore: Layer.Layer<DocumentStore, never, MemoryDatabase> = Layer.effect(
  DocumentStore,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const save = Effect.fn("DocumentStore.put")(function* (orgId: OrgId, key: string, bytes: Uint8Array) {
      yield* database.modify(blobs, (all) => [undefined, put(all, keyOf(orgId, key), bytes.slice())] as const)
    })
    const get = Effect.fn("DocumentStore.get")(function* (orgId: OrgId, key: string) {
      return Option.map(Option.fromNullishOr((yield* database.read(blobs)).get(keyOf(orgId, key))), (bytes) =>
        bytes.slice()
      )
    })
    const forget = Effect.fn("DocumentStore.remove")(function* (orgId: OrgId, key: string) {
      yield* database.modify(blobs, (all) => [undefined, remove(all, [keyOf(orgId, key)])] as const)
    })
    return DocumentStore.of({ put: save, get, remove: forget })
  })
)

/**
 * Every intervention port, the documents' bytes included.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  InterventionRepo | TimelineRepo | PartUseRepo | DocumentRepo | DocumentStore,
  never,
  MemoryDatabase
> = Layer.mergeAll(MemoryInterventionRepo.layer, timelineRepo, partUseRepo, documentRepo, documentStore)
