/**
 * The documents use case: upload, list, download and delete the files of an intervention.
 * Whoever may see the intervention may read its documents; technicians and up add and delete
 * them. An upload is accepted only when its bytes are of an allowed type, the one declared.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type { Forbidden, NotFound, ValidationFailed } from "../kernel/Errors.ts"
import type { Ids } from "../kernel/Ids.ts"
import type * as Outbox from "../kernel/Outbox.ts"
import type { Page, PageRequest } from "../kernel/Pagination.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Document, DocumentTooLarge, UnsupportedDocumentType } from "./Document.ts"
import type { Upload } from "./DocumentSteps.ts"
import * as Steps from "./DocumentSteps.ts"
import type { DocumentRepo, DocumentStore } from "./InterventionRepos.ts"
import type { Interventions } from "./Interventions.ts"

export type {
  /** @since 0.1.0 */
  Upload
} from "./DocumentSteps.ts"

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
    const deps = yield* Steps.make
    return Documents.of({
      upload: Effect.fn("Documents.upload")(Steps.upload(deps)),
      list: Effect.fn("Documents.list")((interventionId: string, page: PageRequest) =>
        Effect.flatMap(deps.interventions.get(interventionId), (intervention) =>
          deps.documents.list(intervention.orgId, intervention.id, page)
        )
      ),
      download: Effect.fn("Documents.download")(Steps.download(deps)),
      remove: Effect.fn("Documents.remove")(Steps.remove(deps))
    })
  })
)
