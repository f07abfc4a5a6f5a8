/**
 * The one place where domain errors become HTTP problems. Handlers pipe their use case through
 * {@link toProblems}; nothing else in the server decides a status code for a domain error.
 *
 * @since 0.1.0
 */
import {
  type Assignment,
  type BookingErrors,
  type Document,
  type Errors,
  type IdentityErrors,
  type IntakeErrors,
  type Membership,
  type Part,
  type Project,
  RequestContext,
  type Series,
  type TransferErrors,
  type Waitlist
} from "@rota/core"
import { DateTime, Effect } from "effect"
import * as Problems from "../../api/Problems.ts"
import * as SecurityEvents from "../edge/SecurityEvents.ts"

/**
 * Every domain error the table knows.
 *
 * @since 0.1.0
 * @category models
 */
export type DomainError =
  | Errors.NotFound
  | Errors.Forbidden
  | Errors.Unauthenticated
  | Errors.Conflict
  | Errors.InvalidTransition
  | Errors.PreconditionFailed
  | Errors.PreconditionRequired
  | Errors.AlreadyExists
  | Errors.ValidationFailed
  | IdentityErrors.SignupClosed
  | IdentityErrors.TokenInvalid
  | IdentityErrors.TokenUsed
  | Membership.LastOwner
  | Part.InsufficientStock
  | Document.DocumentTooLarge
  | Document.UnsupportedDocumentType
  | Assignment.MissionFull
  | Project.ProjectClosed
  | BookingErrors.NotBookable
  | BookingErrors.UnitNotReturned
  | Waitlist.UnitAvailable
  | IntakeErrors.IntakeBusy
  | Series.SeriesConflict
  | TransferErrors.ImportRejected
  | TransferErrors.ImportTooLarge
  | TransferErrors.NotCsv

const clashOf = (clash: Errors.Clash) => ({
  subjectType: clash.subjectType,
  subjectId: clash.subjectId,
  startAt: DateTime.formatIso(clash.startAt),
  endAt: DateTime.formatIso(clash.endAt)
})

const table = {
  NotFound: (_: Errors.NotFound, requestId: string) => new Problems.NotFound({ requestId }),
  Forbidden: (_: Errors.Forbidden, requestId: string) => new Problems.Forbidden({ requestId }),
  // The reason stays in the logs: telling clients why would help an attacker probe accounts.
  Unauthenticated: (_: Errors.Unauthenticated, requestId: string) =>
    new Problems.Unauthenticated({ requestId }),
  Conflict: (error: Errors.Conflict, requestId: string) =>
    new Problems.Conflict({
      requestId,
      conflicts: error.conflicts.map((clash) => ({
        subjectType: clash.subjectType,
        subjectId: clash.subjectId,
        startAt: DateTime.formatIso(clash.startAt),
        endAt: DateTime.formatIso(clash.endAt)
      }))
    }),
  InvalidTransition: (error: Errors.InvalidTransition, requestId: string) =>
    new Problems.InvalidTransition({
      requestId,
      detail: `${error.entity} cannot go from ${error.from} to ${error.to}`,
      from: error.from,
      to: error.to,
      allowed: error.allowed
    }),
  PreconditionFailed: (_: Errors.PreconditionFailed, requestId: string) =>
    new Problems.PreconditionFailed({
      requestId,
      detail: "The entity changed since you read it; read it again."
    }),
  PreconditionRequired: (_: Errors.PreconditionRequired, requestId: string) =>
    new Problems.PreconditionRequired({ requestId }),
  AlreadyExists: (error: Errors.AlreadyExists, requestId: string) =>
    new Problems.AlreadyExists({
      requestId,
      field: error.field,
      detail: `${error.entity} ${error.field} is taken`
    }),
  ValidationFailed: (error: Errors.ValidationFailed, requestId: string) =>
    new Problems.ValidationFailed({ requestId, errors: error.errors }),
  SignupClosed: (_: IdentityErrors.SignupClosed, requestId: string) =>
    new Problems.Forbidden({ requestId, detail: "Sign-up is closed on this server." }),
  TokenInvalid: (_: IdentityErrors.TokenInvalid, requestId: string) =>
    new Problems.TokenInvalid({ requestId }),
  TokenUsed: (_: IdentityErrors.TokenUsed, requestId: string) => new Problems.TokenUsed({ requestId }),
  LastOwner: (_: Membership.LastOwner, requestId: string) => new Problems.LastOwner({ requestId }),
  UnitAvailable: (error: Waitlist.UnitAvailable, requestId: string) =>
    new Problems.UnitAvailable({
      requestId,
      detail: "A unit is free for this interval: book it instead",
      unitIds: error.unitIds
    }),
  NotBookable: (error: BookingErrors.NotBookable, requestId: string) =>
    new Problems.NotBookable({ requestId, detail: error.reason, unitIds: error.unitIds }),
  UnitNotReturned: (error: BookingErrors.UnitNotReturned, requestId: string) =>
    new Problems.UnitNotReturned({
      requestId,
      detail: "A unit of this booking is still out with an earlier booking",
      unitIds: error.unitIds
    }),
  InsufficientStock: (error: Part.InsufficientStock, requestId: string) =>
    new Problems.InsufficientStock({
      requestId,
      detail: `Only ${error.onHand} on hand; ${error.requested} requested`,
      onHand: error.onHand,
      requested: error.requested
    }),
  DocumentTooLarge: (error: Document.DocumentTooLarge, requestId: string) =>
    new Problems.PayloadTooLarge({ requestId, detail: `Uploads are limited to ${error.limit} bytes` }),
  // The declared type is the client's own; what the bytes were detected as stays in the logs.
  UnsupportedDocumentType: (_: Document.UnsupportedDocumentType, requestId: string) =>
    new Problems.UnsupportedMediaType({
      requestId,
      detail: "Allowed: PDF, PNG, JPEG, WebP and plain text, declared as what the bytes are."
    }),
  MissionFull: (error: Assignment.MissionFull, requestId: string) =>
    new Problems.MissionFull({
      requestId,
      detail: `The mission already has the ${error.headcount} people it needs`,
      headcount: error.headcount
    }),
  ProjectClosed: (error: Project.ProjectClosed, requestId: string) =>
    new Problems.ProjectClosed({
      requestId,
      detail:
        error.reason === "ARCHIVED"
          ? "The project is archived: reopen it to change its missions or their crew"
          : "The project is deleted: restore it first",
      projectId: error.projectId,
      reason: error.reason
    }),
  IntakeBusy: (error: IntakeErrors.IntakeBusy, requestId: string) =>
    new Problems.RateLimited({
      requestId,
      detail: `This unit's form has taken its share of requests; try again in ${Math.ceil(error.retryAfterSeconds / 60)} minutes.`
    }),
  SeriesConflict: (error: Series.SeriesConflict, requestId: string) =>
    new Problems.SeriesConflict({
      requestId,
      detail: "Some occurrences clash and the series was asked all or nothing: nothing was booked",
      occurrences: error.occurrences.map((occurrence) => ({
        date: occurrence.date,
        startAt: DateTime.formatIso(occurrence.startAt),
        endAt: DateTime.formatIso(occurrence.endAt),
        outcome: occurrence.outcome,
        bookingId: occurrence.bookingId,
        conflicts: occurrence.conflicts.map(clashOf)
      }))
    }),
  ImportRejected: (error: TransferErrors.ImportRejected, requestId: string) =>
    new Problems.ImportRejected({
      requestId,
      detail: `${error.errors.length} problem(s) in the file: nothing was imported`,
      errors: error.errors
    }),
  ImportTooLarge: (error: TransferErrors.ImportTooLarge, requestId: string) =>
    new Problems.PayloadTooLarge({
      requestId,
      detail: `An import takes at most ${error.limit} ${error.unit}`
    }),
  NotCsv: (_: TransferErrors.NotCsv, requestId: string) =>
    new Problems.UnsupportedMediaType({ requestId, detail: "Send the file as Content-Type: text/csv." })
} satisfies {
  readonly [Tag in DomainError["_tag"]]: (
    error: Extract<DomainError, { readonly _tag: Tag }>,
    requestId: string
  ) => unknown
}

/**
 * The problem a domain error renders as.
 *
 * @since 0.1.0
 * @category models
 */
export type ProblemOf<E extends DomainError> = ReturnType<(typeof table)[E["_tag"]]>

/**
 * Renders one domain error as its problem, stamped with the request id.
 *
 * @since 0.1.0
 * @category rendering
 */
export const toProblem = <E extends DomainError>(error: E, requestId: string): ProblemOf<E> => {
  // TypeScript cannot correlate a tag-indexed lookup with the error's own type; the `satisfies`
  // on the table is what guarantees each row takes the error of its tag.
  const render = table[error._tag] as unknown as (error: E, requestId: string) => ProblemOf<E>
  return render(error, requestId)
}

/**
 * Turns a use case's domain errors into the problems its endpoint declares.
 *
 * @since 0.1.0
 * @category rendering
 */
export const toProblems = <A, E extends DomainError, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, ProblemOf<E>, R> =>
  Effect.catch(effect, (error) =>
    Effect.flatMap(Effect.service(RequestContext.CurrentRequestId), (requestId) =>
      Effect.andThen(noteRefusal(error), Effect.fail(toProblem(error, requestId)))
    )
  )

// Refused credentials and permissions are security events; the reason goes to the log only.
const noteRefusal = (error: DomainError) =>
  error._tag === "Unauthenticated"
    ? SecurityEvents.note({ refusal: SecurityEvents.unauthenticated(error.reason) })
    : error._tag === "Forbidden"
      ? SecurityEvents.note({
          refusal: {
            event: "security.access_denied",
            reason: "missing_permission",
            permission: error.permission
          }
        })
      : Effect.void
