/**
 * Projects and their missions: `/v1/projects` (with bulk mission creation) and `/v1/missions`
 * (with duplication).
 *
 * @since 0.1.0
 */
import { CrewTime, Mission, Pagination, Project, RateProfile } from "@rota/core"
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
 * @since 0.1.0
 * @category schemas
 */
export const MissionBatch = Schema.Struct({
  missions: Schema.Array(Mission.MissionFields).pipe(Schema.check(Schema.isBetweenLength(1, 100)))
})

const ProjectChanges = Project.ProjectFields.mapFields(Struct.map(Schema.optionalKey))
const MissionChanges = Mission.MissionFields.mapFields(Struct.map(Schema.optionalKey))

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
