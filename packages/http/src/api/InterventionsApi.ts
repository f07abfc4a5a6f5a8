/**
 * Interventions: `/v1/interventions` (with their timeline, assignees and parts), their
 * documents (`/v1/interventions/{id}/documents`, `/v1/documents/{id}`) and the technicians'
 * leaderboard. Technicians read all and write, members read their own tickets, managers assign.
 *
 * @since 0.1.0
 */
import {
  Document,
  Ids,
  Intervention,
  Leaderboard,
  Pagination,
  PartUse,
  Resource,
  TimelineEvent
} from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { optionalBody } from "./ActionPayload.ts"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import {
  commaList,
  Instant,
  includeDeleted,
  ListPage,
  numberedPage,
  page,
  period,
  SearchText,
  sort
} from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { recordEndpoints } from "./RecordEndpoints.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

const IdParam = { id: Intervention.InterventionId }
const writeErrors = [Problems.NotFound, Problems.PreconditionFailed, Problems.PreconditionRequired]
const Username = Schema.String.pipe(Schema.check(Schema.isBetweenLength(1, 100)))

/**
 * The body of an upload: one file in the form field `file`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UploadForm = Schema.Struct({
  file: Schema.String.annotate({ description: "The file's bytes", contentEncoding: "binary" })
}).pipe(HttpApiSchema.asMultipart())

/**
 * @since 0.1.0
 * @category groups
 */
export class InterventionsApi extends HttpApiGroup.make("interventions")
  .add(
    ...recordEndpoints({
      path: "/v1/interventions",
      noun: { one: "an intervention", many: "interventions" },
      permissions: { read: "intervention.read", write: "intervention.write" },
      entity: Intervention.Intervention,
      idParam: IdParam,
      list: {
        query: {
          ...page,
          ...period,
          status: Schema.optionalKey(commaList(Intervention.Status.literals)),
          kind: Schema.optionalKey(commaList(Intervention.Kind.literals)),
          priority: Schema.optionalKey(commaList(Intervention.Priority.literals)),
          technicianId: Schema.optionalKey(Ids.AccountId),
          technicianUsername: Schema.optionalKey(Username),
          clientId: Schema.optionalKey(Ids.AccountId),
          clientUsername: Schema.optionalKey(Username),
          resourceId: Schema.optionalKey(Resource.ResourceId),
          q: Schema.optionalKey(SearchText),
          ...includeDeleted,
          ...sort(["createdAt", "dueAt", "priority", "number"]),
          ...numberedPage
        },
        success: ListPage(Intervention.Intervention)
      },
      create: {
        payload: Intervention.InterventionFields,
        errors: [Problems.ValidationFailed, Problems.Conflict]
      },
      update: {
        payload: Intervention.InterventionChanges,
        errors: [Problems.ValidationFailed, Problems.InvalidTransition, Problems.Conflict]
      },
      restoreErrors: [Problems.Conflict]
    }),
    HttpApiEndpoint.get("listEvents", "/v1/interventions/:id/events", {
      params: IdParam,
      query: page,
      success: Pagination.Page(TimelineEvent.TimelineEvent),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "List an intervention's timeline")
      .annotate(Requires, "intervention.read"),
    HttpApiEndpoint.post("addNote", "/v1/interventions/:id/events", {
      params: IdParam,
      headers: IdempotencyKeyHeader,
      payload: TimelineEvent.Note,
      success: TimelineEvent.TimelineEvent.pipe(HttpApiSchema.status(201)),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Add a note to an intervention's timeline")
      .annotate(Requires, "intervention.write")
      .middleware(Idempotent),
    HttpApiEndpoint.post("postEvent", "/v1/interventions/:id/timeline", {
      params: IdParam,
      headers: IdempotencyKeyHeader,
      payload: TimelineEvent.PostedEvent,
      success: TimelineEvent.TimelineEvent.pipe(HttpApiSchema.status(201)),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Post a typed event on an intervention's timeline")
      .annotate(
        OpenApi.Description,
        "`{ type, details }` with `type` one of `note`, `diagnosis`, `customer_contacted`, `photo`, " +
          "`quote_sent`, `customer_approved`, `test_drive`, and `details` 1 to 4,000 characters. The " +
          "events the system writes itself (`created`, `started`, `completed`, `assigned`, ...) cannot " +
          "be posted (400). A posted `note` is stored as `{ text }`, like one added with " +
          "`POST .../events`; the other types as `{ details }`. Read the timeline with `GET .../events`."
      )
      .annotate(Requires, "intervention.write")
      .middleware(Idempotent),
    HttpApiEndpoint.post("assign", "/v1/interventions/:id/assignees", {
      params: IdParam,
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      payload: optionalBody(Intervention.AssigneeChanges),
      success: withEtag(Intervention.Intervention),
      error: [...writeErrors, Problems.ValidationFailed, Problems.Conflict]
    })
      .annotate(OpenApi.Summary, "Assign technicians to an intervention")
      .annotate(Requires, "intervention.assign")
      .middleware(Idempotent),
    HttpApiEndpoint.get("listParts", "/v1/interventions/:id/parts", {
      params: IdParam,
      query: page,
      success: Pagination.Page(PartUse.PartUse),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "List parts used on an intervention")
      .annotate(Requires, "intervention.read_all"),
    HttpApiEndpoint.post("useParts", "/v1/interventions/:id/parts", {
      params: IdParam,
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      payload: PartUse.PartUseFields,
      success: PartUse.PartUse.pipe(HttpApiSchema.status(201)),
      error: [
        ...writeErrors,
        Problems.ValidationFailed,
        Problems.InsufficientStock,
        Problems.InvalidTransition
      ]
    })
      .annotate(OpenApi.Summary, "Use parts on an intervention")
      .annotate(Requires, "intervention.write")
      .middleware(Idempotent),
    HttpApiEndpoint.get("leaderboard", "/v1/technicians/leaderboard", {
      query: { from: Schema.optionalKey(Instant), to: Schema.optionalKey(Instant) },
      success: Leaderboard.Leaderboard
    })
      .annotate(OpenApi.Summary, "Rank technicians by completed work")
      .annotate(Requires, "intervention.read")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Interventions",
      description:
        "Work orders with a per-organisation number, a state machine (PATCH `status` with If-Match), " +
        "an append-only timeline, assignees whose scheduled time is claimed on the ledger, and parts " +
        "taken out of stock. Members see only the interventions where they are the client."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class DocumentsApi extends HttpApiGroup.make("documents")
  .add(
    HttpApiEndpoint.post("upload", "/v1/interventions/:id/documents", {
      params: IdParam,
      headers: IdempotencyKeyHeader,
      payload: UploadForm,
      success: Document.Document.pipe(HttpApiSchema.status(201)),
      error: [Problems.NotFound, Problems.UnsupportedMediaType]
    })
      .annotate(OpenApi.Summary, "Upload a document to an intervention")
      .annotate(Requires, "intervention.write")
      .middleware(Idempotent),
    HttpApiEndpoint.get("list", "/v1/interventions/:id/documents", {
      params: IdParam,
      query: page,
      success: Pagination.Page(Document.Document),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "List an intervention's documents")
      .annotate(Requires, "intervention.read"),
    HttpApiEndpoint.get("download", "/v1/documents/:id", {
      params: { id: Document.DocumentId },
      success: Schema.Uint8Array.pipe(HttpApiSchema.asUint8Array()),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Download a document")
      .annotate(Requires, "intervention.read"),
    HttpApiEndpoint.delete("remove", "/v1/documents/:id", {
      params: { id: Document.DocumentId },
      success: HttpApiSchema.NoContent,
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Delete a document")
      .annotate(Requires, "intervention.write")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Documents",
      description:
        "Files attached to an intervention: a multipart upload (field `file`; PDF, PNG, JPEG, WebP or " +
        "plain text, proven by the bytes; `ROTA_MAX_UPLOAD_BYTES` at most), stored under a generated " +
        "key with a sanitised display name, and downloaded as an attachment."
    })
  ) {}
