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
import { recordEndpoints } from "./RecordEndpoints.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { withEtag } from "./Versioned.ts"

const crew = { read: "crew.read", write: "crew.write" }

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
    ...recordEndpoints({
      path: "/v1/projects",
      noun: { one: "a project", many: "projects" },
      permissions: crew,
      entity: Project.Project,
      view: ProjectView,
      idParam: { id: Project.ProjectId },
      list: {
        query: {
          ...page,
          status: Schema.optionalKey(commaList(Project.ProjectStatus.literals)),
          q: Schema.optionalKey(SearchText),
          ...window,
          ...includeDeleted,
          ...sort(["name", "createdAt"])
        },
        success: Pagination.Page(Project.Project)
      },
      create: { payload: Project.ProjectFields, errors: [Problems.ValidationFailed] },
      update: { payload: ProjectChanges, errors: [Problems.ValidationFailed, Problems.InvalidTransition] },
      removeErrors: [Problems.ProjectClosed],
      removeDescription:
        "Soft-deletes the project and, in the same transaction, each of its live missions as " +
        "`DELETE /v1/missions/{id}` does: their open assignments are cancelled and their people's " +
        "time freed. 409 `project_closed` while the project is archived and still holds live " +
        "missions (reopen it first). Restoring the project brings none of its missions back.",
      restoreErrors: [Problems.AlreadyExists]
    }),
    HttpApiEndpoint.post("createMissions", "/v1/projects/:id/missions/bulk", {
      params: { id: Project.ProjectId },
      headers: IdempotencyKeyHeader,
      payload: MissionBatch,
      success: Schema.Struct({ items: Schema.Array(Mission.Mission) }).pipe(HttpApiSchema.status(201)),
      error: [Problems.NotFound, Problems.ValidationFailed, Problems.ProjectClosed]
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
        "all its missions or none. A project's dates always hold its live missions (400 naming those " +
        "a change would leave outside). Deleting a project deletes its live missions with it; " +
        "restoring it brings none of them back. Technicians read; managers write."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class MissionsApi extends HttpApiGroup.make("missions")
  .add(
    ...recordEndpoints({
      path: "/v1/missions",
      noun: { one: "a mission", many: "missions" },
      permissions: crew,
      entity: Mission.Mission,
      idParam: { id: Mission.MissionId },
      list: {
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
      },
      create: {
        payload: Schema.Struct({ projectId: Project.ProjectId, ...Mission.MissionFields.fields }),
        errors: [Problems.NotFound, Problems.ValidationFailed, Problems.ProjectClosed]
      },
      update: {
        payload: MissionChanges,
        errors: [Problems.ValidationFailed, Problems.Conflict, Problems.ProjectClosed]
      },
      removeErrors: [Problems.ProjectClosed],
      restoreErrors: [Problems.AlreadyExists, Problems.ValidationFailed, Problems.ProjectClosed]
    }),
    HttpApiEndpoint.post("duplicate", "/v1/missions/:id/duplicate", {
      params: { id: Mission.MissionId },
      headers: IdempotencyKeyHeader,
      payload: optionalBody(Mission.Duplication),
      success: withEtag(Mission.Mission.pipe(HttpApiSchema.status(201))),
      error: [Problems.NotFound, Problems.ValidationFailed, Problems.AlreadyExists, Problems.ProjectClosed]
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
        "(optionally at another start, with its crew invited again) in one transaction. The missions " +
        "of an archived project are not created, changed, deleted or restored (409 `project_closed`). " +
        "A deleted project's missions are deleted with it, so lists show none of them."
    })
  ) {}
