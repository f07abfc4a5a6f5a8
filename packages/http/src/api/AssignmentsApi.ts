/**
 * Assignments: `/v1/assignments` (invitations, answers, cancellation) and the token link that
 * needs no login.
 *
 * @since 0.1.0
 */
import { Assignment, Ids, Mission, Pagination } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import { accountFilter, commaList, page, sort } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

const writeErrors = [Problems.NotFound, Problems.PreconditionFailed, Problems.PreconditionRequired]

/**
 * A new assignment with the token of its invitation link (the manager may share it).
 *
 * @since 0.1.0
 * @category schemas
 */
export const InvitedAssignment = Schema.Struct({
  ...Assignment.Assignment.fields,
  invitationToken: Schema.String
})

/**
 * @since 0.1.0
 * @category groups
 */
export class AssignmentsApi extends HttpApiGroup.make("assignments")
  .add(
    HttpApiEndpoint.get("list", "/v1/assignments", {
      query: {
        ...page,
        missionId: Schema.optionalKey(Mission.MissionId),
        accountId: accountFilter("assignment.manage"),
        status: Schema.optionalKey(commaList(Assignment.AssignmentStatus.literals)),
        ...sort(["createdAt"])
      },
      success: Pagination.Page(Assignment.Assignment)
    })
      .annotate(OpenApi.Summary, "List assignments")
      .annotate(Requires, "assignment.manage|own"),
    HttpApiEndpoint.post("create", "/v1/assignments", {
      headers: IdempotencyKeyHeader,
      payload: Schema.Struct({ missionId: Mission.MissionId, accountId: Ids.AccountId }),
      success: withEtag(InvitedAssignment.pipe(HttpApiSchema.status(201))),
      error: [Problems.NotFound, Problems.AlreadyExists, Problems.ProjectClosed]
    })
      .annotate(OpenApi.Summary, "Assign a member to a mission")
      .annotate(
        OpenApi.Description,
        "Invites an active member to a live mission: 201 with `invitationToken`. 409 `project_closed` " +
          "while the mission's project is archived; a deleted project's missions are not there (404)."
      )
      .annotate(Requires, "assignment.manage")
      .middleware(Idempotent),
    HttpApiEndpoint.get("get", "/v1/assignments/:id", {
      params: { id: Assignment.AssignmentId },
      success: withEtag(Assignment.Assignment),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get an assignment")
      .annotate(Requires, "assignment.respond"),
    HttpApiEndpoint.delete("cancel", "/v1/assignments/:id", {
      params: { id: Assignment.AssignmentId },
      headers: IfMatch,
      success: withEtag(Assignment.Assignment),
      error: [...writeErrors, Problems.InvalidTransition, Problems.ProjectClosed]
    })
      .annotate(OpenApi.Summary, "Cancel an assignment")
      .annotate(
        OpenApi.Description,
        "A manager cancels an open assignment, freeing the person's time. 409 `project_closed` " +
          "while the mission's project is archived: its assignments are the record of that work."
      )
      .annotate(Requires, "assignment.manage"),
    HttpApiEndpoint.post("setStatus", "/v1/assignments/:id/status", {
      params: { id: Assignment.AssignmentId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      payload: Schema.Struct({ status: Assignment.Decision }),
      success: withEtag(Assignment.Assignment),
      error: [
        ...writeErrors,
        Problems.InvalidTransition,
        Problems.MissionFull,
        Problems.Conflict,
        Problems.ProjectClosed
      ]
    })
      .annotate(OpenApi.Summary, "Set an assignment's status")
      .annotate(
        OpenApi.Description,
        "The person accepts or declines their own assignment (declining an accepted one withdraws). " +
          "409 `project_closed` while the mission's project is archived; accepting a mission of a " +
          "deleted project is 404."
      )
      .annotate(Requires, "assignment.respond")
      .middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Assignments",
      description:
        "Managers invite people to missions (the invitation goes out with a signed link) and cancel " +
        "(DELETE). People accept or decline their own with `POST .../status`; accepting claims their " +
        "time (409 `conflict` if it overlaps their accepted work or an approved unavailability) and " +
        "a place (409 `mission_full`). The crew of an archived project's missions stays as it is: " +
        "inviting, answering and cancelling answer 409 `project_closed` until it is reopened."
    })
  ) {}

/**
 * Answering from the invitation link needs no login: the token is the credential.
 *
 * @since 0.1.0
 * @category groups
 */
export class AssignmentResponseApi extends HttpApiGroup.make("assignmentResponse")
  .add(
    HttpApiEndpoint.post("respond", "/v1/assignments/respond", {
      payload: Schema.Struct({
        token: Schema.String.pipe(Schema.check(Schema.isMaxLength(2048))),
        decision: Assignment.Decision
      }),
      success: Assignment.Assignment,
      error: [
        Problems.TokenInvalid,
        Problems.TokenUsed,
        Problems.NotFound,
        Problems.InvalidTransition,
        Problems.MissionFull,
        Problems.Conflict,
        Problems.ProjectClosed
      ]
    })
      .annotate(OpenApi.Summary, "Accept or decline an assignment")
      .annotate(
        OpenApi.Description,
        "Answers as the person the link was sent to, once. 409 `project_closed` while the mission's " +
          "project is archived (the link stays usable if it is reopened)."
      )
      .annotate(Requires, "public")
  )
  .middleware(InputGuard)
  .annotateMerge(
    OpenApi.annotations({
      title: "Assignment responses",
      description: "Accepting or declining an assignment with the token of its invitation link."
    })
  ) {}
