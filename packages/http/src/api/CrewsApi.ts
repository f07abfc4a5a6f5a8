/**
 * Crews: `/v1/projects` (with bulk mission creation), `/v1/missions` (with duplication),
 * `/v1/assignments` (invitations, answers, cancellation, and the token link that needs no
 * login), `/v1/availability` and `/v1/members/{accountId}/rate-profile`.
 *
 * @since 0.1.0
 */
import {
  Assignment,
  Availability,
  CrewTime,
  Ids,
  Mission,
  Pagination,
  Project,
  RateProfile
} from "@rota/core"
import { Schema, Struct } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { optionalBody } from "./ActionPayload.ts"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import { commaList, includeDeleted, page, SearchText, sort } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

const writeErrors = [Problems.NotFound, Problems.PreconditionFailed, Problems.PreconditionRequired]

// `from`/`to` within the years the store keeps.
const window = { from: Schema.optionalKey(CrewTime.Moment), to: Schema.optionalKey(CrewTime.Moment) }

/**
 * A project as `GET /v1/projects/{id}` answers it: with the estimated cost of its accepted
 * assignments, `null` for callers who may not see rates.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ProjectView = Schema.Struct({
  ...Project.Project.fields,
  estimatedCost: Schema.NullOr(RateProfile.CostEstimate)
})

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
 * @category schemas
 */
export const MissionBatch = Schema.Struct({
  missions: Schema.Array(Mission.MissionFields).pipe(Schema.check(Schema.isBetweenLength(1, 100)))
})

const ProjectChanges = Project.ProjectFields.mapFields(Struct.map(Schema.optionalKey))
const MissionChanges = Mission.MissionFields.mapFields(Struct.map(Schema.optionalKey))
const AvailabilityChanges = Availability.AvailabilityFields.mapFields(Struct.map(Schema.optionalKey))

/**
 * @since 0.1.0
 * @category groups
 */
export class ProjectsApi extends HttpApiGroup.make("projects")
  .add(
    HttpApiEndpoint.get("list", "/v1/projects", {
      query: {
        ...page,
        status: Schema.optionalKey(commaList(Project.ProjectStatus.literals)),
        q: Schema.optionalKey(SearchText),
        ...window,
        ...includeDeleted,
        ...sort(["name", "createdAt"])
      },
      success: Pagination.Page(Project.Project)
    })
      .annotate(OpenApi.Summary, "List projects")
      .annotate(Requires, "crew.read"),
    HttpApiEndpoint.post("create", "/v1/projects", {
      headers: IdempotencyKeyHeader,
      payload: Project.ProjectFields,
      success: withEtag(Project.Project.pipe(HttpApiSchema.status(201))),
      error: Problems.ValidationFailed
    })
      .annotate(OpenApi.Summary, "Create a project")
      .annotate(Requires, "crew.write")
      .middleware(Idempotent),
    HttpApiEndpoint.get("get", "/v1/projects/:id", {
      params: { id: Project.ProjectId },
      query: includeDeleted,
      success: withEtag(ProjectView),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a project")
      .annotate(Requires, "crew.read"),
    HttpApiEndpoint.patch("update", "/v1/projects/:id", {
      params: { id: Project.ProjectId },
      headers: IfMatch,
      payload: ProjectChanges,
      success: withEtag(Project.Project),
      error: [...writeErrors, Problems.ValidationFailed, Problems.InvalidTransition]
    })
      .annotate(OpenApi.Summary, "Update a project")
      .annotate(Requires, "crew.write"),
    HttpApiEndpoint.delete("remove", "/v1/projects/:id", {
      params: { id: Project.ProjectId },
      headers: IfMatch,
      success: HttpApiSchema.NoContent,
      error: writeErrors
    })
      .annotate(OpenApi.Summary, "Delete a project")
      .annotate(Requires, "crew.write"),
    HttpApiEndpoint.post("restore", "/v1/projects/:id/restore", {
      params: { id: Project.ProjectId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(Project.Project),
      error: [...writeErrors, Problems.AlreadyExists]
    })
      .annotate(OpenApi.Summary, "Restore a deleted project")
      .annotate(Requires, "crew.write")
      .middleware(Idempotent),
    HttpApiEndpoint.post("createMissions", "/v1/projects/:id/missions/bulk", {
      params: { id: Project.ProjectId },
      headers: IdempotencyKeyHeader,
      payload: MissionBatch,
      success: Schema.Struct({ items: Schema.Array(Mission.Mission) }).pipe(HttpApiSchema.status(201)),
      error: [Problems.NotFound, Problems.ValidationFailed]
    })
      .annotate(OpenApi.Summary, "Create missions of a project in bulk")
      .annotate(Requires, "crew.write")
      .middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Projects",
      description:
        "Crew work (`DRAFT`, `ACTIVE`, `ARCHIVED`). `POST /v1/projects/{id}/missions/bulk` creates " +
        "all its missions or none. Technicians read; managers write."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class MissionsApi extends HttpApiGroup.make("missions")
  .add(
    HttpApiEndpoint.get("list", "/v1/missions", {
      query: {
        ...page,
        projectId: Schema.optionalKey(Project.ProjectId),
        role: Schema.optionalKey(Mission.MissionRole),
        q: Schema.optionalKey(SearchText),
        ...window,
        ...includeDeleted,
        ...sort(["startAt", "title", "createdAt"])
      },
      success: Pagination.Page(Mission.Mission)
    })
      .annotate(OpenApi.Summary, "List missions")
      .annotate(Requires, "crew.read"),
    HttpApiEndpoint.post("create", "/v1/missions", {
      headers: IdempotencyKeyHeader,
      payload: Schema.Struct({ projectId: Project.ProjectId, ...Mission.MissionFields.fields }),
      success: withEtag(Mission.Mission.pipe(HttpApiSchema.status(201))),
      error: [Problems.NotFound, Problems.ValidationFailed]
    })
      .annotate(OpenApi.Summary, "Create a mission")
      .annotate(Requires, "crew.write")
      .middleware(Idempotent),
    HttpApiEndpoint.get("get", "/v1/missions/:id", {
      params: { id: Mission.MissionId },
      query: includeDeleted,
      success: withEtag(Mission.Mission),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a mission")
      .annotate(Requires, "crew.read"),
    HttpApiEndpoint.patch("update", "/v1/missions/:id", {
      params: { id: Mission.MissionId },
      headers: IfMatch,
      payload: MissionChanges,
      success: withEtag(Mission.Mission),
      error: [...writeErrors, Problems.ValidationFailed, Problems.Conflict]
    })
      .annotate(OpenApi.Summary, "Update a mission")
      .annotate(Requires, "crew.write"),
    HttpApiEndpoint.delete("remove", "/v1/missions/:id", {
      params: { id: Mission.MissionId },
      headers: IfMatch,
      success: HttpApiSchema.NoContent,
      error: writeErrors
    })
      .annotate(OpenApi.Summary, "Delete a mission")
      .annotate(Requires, "crew.write"),
    HttpApiEndpoint.post("restore", "/v1/missions/:id/restore", {
      params: { id: Mission.MissionId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(Mission.Mission),
      error: [...writeErrors, Problems.AlreadyExists]
    })
      .annotate(OpenApi.Summary, "Restore a deleted mission")
      .annotate(Requires, "crew.write")
      .middleware(Idempotent),
    HttpApiEndpoint.post("duplicate", "/v1/missions/:id/duplicate", {
      params: { id: Mission.MissionId },
      headers: IdempotencyKeyHeader,
      payload: optionalBody(Mission.Duplication),
      success: withEtag(Mission.Mission.pipe(HttpApiSchema.status(201))),
      error: [Problems.NotFound, Problems.ValidationFailed, Problems.AlreadyExists]
    })
      .annotate(OpenApi.Summary, "Duplicate a mission")
      .annotate(Requires, "crew.write")
      .middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Missions",
      description:
        "A role over a time slot of a project, needing `headcount` people. Moving a mission moves " +
        "its accepted people's time; deleting it cancels its assignments. `duplicate` copies it " +
        "(optionally at another start, with its crew invited again) in one transaction."
    })
  ) {}

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
        accountId: Schema.optionalKey(Ids.AccountId),
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
      error: [Problems.NotFound, Problems.AlreadyExists]
    })
      .annotate(OpenApi.Summary, "Assign a member to a mission")
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
      error: [...writeErrors, Problems.InvalidTransition]
    })
      .annotate(OpenApi.Summary, "Cancel an assignment")
      .annotate(Requires, "assignment.manage"),
    HttpApiEndpoint.post("setStatus", "/v1/assignments/:id/status", {
      params: { id: Assignment.AssignmentId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      payload: Schema.Struct({ status: Assignment.Decision }),
      success: withEtag(Assignment.Assignment),
      error: [...writeErrors, Problems.InvalidTransition, Problems.MissionFull, Problems.Conflict]
    })
      .annotate(OpenApi.Summary, "Set an assignment's status")
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
        "a place (409 `mission_full`)."
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
        Problems.Conflict
      ]
    })
      .annotate(OpenApi.Summary, "Accept or decline an assignment")
      .annotate(Requires, "public")
  )
  .middleware(InputGuard)
  .annotateMerge(
    OpenApi.annotations({
      title: "Assignment responses",
      description: "Accepting or declining an assignment with the token of its invitation link."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class AvailabilityApi extends HttpApiGroup.make("availability")
  .add(
    HttpApiEndpoint.get("list", "/v1/availability", {
      query: {
        ...page,
        accountId: Schema.optionalKey(Ids.AccountId),
        kind: Schema.optionalKey(commaList(Availability.AvailabilityKind.literals)),
        status: Schema.optionalKey(commaList(Availability.AvailabilityStatus.literals)),
        ...window,
        ...includeDeleted,
        ...sort(["startAt", "createdAt"])
      },
      success: Pagination.Page(Availability.Availability)
    })
      .annotate(OpenApi.Summary, "List availability windows")
      .annotate(Requires, "availability.approve|own"),
    HttpApiEndpoint.post("create", "/v1/availability", {
      headers: IdempotencyKeyHeader,
      payload: Availability.AvailabilitySubmission,
      success: withEtag(Availability.Availability.pipe(HttpApiSchema.status(201))),
      error: [Problems.ValidationFailed, Problems.NotFound]
    })
      .annotate(OpenApi.Summary, "Create an availability window")
      .annotate(
        OpenApi.Description,
        "A window of the caller's own, pending a manager's decision. Managers and up may name " +
          "another member with `accountId` to enter that member's window; anyone else naming " +
          "someone else gets 403, and an account that is not a member gets 404."
      )
      .annotate(Requires, "availability.submit")
      .middleware(Idempotent),
    HttpApiEndpoint.get("get", "/v1/availability/:id", {
      params: { id: Availability.AvailabilityId },
      success: withEtag(Availability.Availability),
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get an availability window")
      .annotate(Requires, "availability.submit"),
    HttpApiEndpoint.patch("update", "/v1/availability/:id", {
      params: { id: Availability.AvailabilityId },
      headers: IfMatch,
      payload: AvailabilityChanges,
      success: withEtag(Availability.Availability),
      error: [...writeErrors, Problems.ValidationFailed]
    })
      .annotate(OpenApi.Summary, "Update an availability window")
      .annotate(Requires, "availability.submit"),
    HttpApiEndpoint.delete("remove", "/v1/availability/:id", {
      params: { id: Availability.AvailabilityId },
      headers: IfMatch,
      success: HttpApiSchema.NoContent,
      error: writeErrors
    })
      .annotate(OpenApi.Summary, "Delete an availability window")
      .annotate(Requires, "availability.submit"),
    HttpApiEndpoint.post("approve", "/v1/availability/:id/approve", {
      params: { id: Availability.AvailabilityId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(Availability.Availability),
      error: [...writeErrors, Problems.InvalidTransition, Problems.Conflict]
    })
      .annotate(OpenApi.Summary, "Approve an availability window")
      .annotate(Requires, "availability.approve")
      .middleware(Idempotent),
    HttpApiEndpoint.post("reject", "/v1/availability/:id/reject", {
      params: { id: Availability.AvailabilityId },
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(Availability.Availability),
      error: [...writeErrors, Problems.InvalidTransition]
    })
      .annotate(OpenApi.Summary, "Reject an availability window")
      .annotate(Requires, "availability.approve")
      .middleware(Idempotent)
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Availability",
      description:
        "Windows when a person can (`AVAILABLE`) or cannot (`UNAVAILABLE`) work. People submit and " +
        "change their own (a change waits for a decision again); managers see everyone's and approve " +
        "or reject. An approved `UNAVAILABLE` window blocks accepting overlapping assignments."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class RateProfilesApi extends HttpApiGroup.make("rateProfiles")
  .add(
    HttpApiEndpoint.get("get", "/v1/members/:accountId/rate-profile", {
      params: { accountId: Ids.AccountId },
      success: RateProfile.RateProfile,
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Get a member's rate profile")
      .annotate(Requires, "rate_profile.manage"),
    HttpApiEndpoint.put("put", "/v1/members/:accountId/rate-profile", {
      params: { accountId: Ids.AccountId },
      payload: RateProfile.RateFields,
      success: RateProfile.RateProfile,
      error: Problems.NotFound
    })
      .annotate(OpenApi.Summary, "Set a member's rate profile")
      .annotate(Requires, "rate_profile.manage")
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Rate profiles",
      description:
        "What a member's time costs (minor units per hour, or per started day without an hourly rate); " +
        "`GET /v1/projects/{id}` sums accepted assignments into `estimatedCost`."
    })
  ) {}
