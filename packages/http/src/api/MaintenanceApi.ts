/**
 * Preventive maintenance: `/v1/maintenance-plans` (with pause, resume and the next due dates)
 * and the planning view `/v1/schedule`. Technicians read plans, managers write them and read
 * the planning view.
 *
 * @since 0.1.0
 */
import { MaintenancePlan, Pagination, PlanningView, Resource, ResourceUnit } from "@rota/core"
import { Schema } from "effect"
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "effect/http-api"
import { IdempotencyKeyHeader, Idempotent } from "./Idempotency.ts"
import { commaList, Instant, includeDeleted, page, sort } from "./ListQuery.ts"
import * as Problems from "./Problems.ts"
import { InputGuard } from "./RequestValidation.ts"
import { Authentication, Requires, Tenant } from "./Security.ts"
import { IfMatch, withEtag } from "./Versioned.ts"

const IdParam = { id: MaintenancePlan.MaintenancePlanId }
const writeErrors = [Problems.NotFound, Problems.PreconditionFailed, Problems.PreconditionRequired]

// Query values are text: `count` is read as a whole number, then checked by the use case.
const Count = Schema.NumberFromString.pipe(Schema.check(Schema.isInt()))

/**
 * The next due dates of a plan.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Occurrences = Schema.Struct({ items: Schema.Array(Schema.DateTimeUtc) })

/**
 * @since 0.1.0
 * @category groups
 */
export class MaintenancePlansApi extends HttpApiGroup.make("maintenancePlans")
  .add(
    HttpApiEndpoint.get("list", "/v1/maintenance-plans", {
      query: {
        ...page,
        resourceId: Schema.optionalKey(Resource.ResourceId),
        unitId: Schema.optionalKey(ResourceUnit.UnitId),
        status: Schema.optionalKey(commaList(MaintenancePlan.PlanStatus.literals)),
        ...includeDeleted,
        ...sort(["createdAt", "title"])
      },
      success: Pagination.Page(MaintenancePlan.MaintenancePlan)
    })
      .annotate(Requires, "maintenance.read")
      .annotate(OpenApi.Summary, "List maintenance plans")
      .annotate(OpenApi.Description, "The org's plans, keyset-paged, by resource, unit or status."),
    HttpApiEndpoint.post("create", "/v1/maintenance-plans", {
      headers: IdempotencyKeyHeader,
      payload: MaintenancePlan.PlanFields,
      success: withEtag(MaintenancePlan.MaintenancePlan.pipe(HttpApiSchema.status(201))),
      error: Problems.ValidationFailed
    })
      .annotate(Requires, "maintenance.write")
      .annotate(OpenApi.Summary, "Create a maintenance plan")
      .annotate(
        OpenApi.Description,
        "A recurring preventive job on a resource or one of its units: every N days, weeks or months " +
          "at `at` (default 09:00), or on a cron expression, counted in the org's time zone from " +
          "`startsOn`. Each due date opens one PREVENTIVE intervention `leadTimeDays` before it, " +
          "assigned to `defaultAssigneeId` and scheduled for `estimatedMinutes` when given."
      )
      .middleware(Idempotent),
    HttpApiEndpoint.get("get", "/v1/maintenance-plans/:id", {
      params: IdParam,
      query: includeDeleted,
      success: withEtag(MaintenancePlan.MaintenancePlan),
      error: Problems.NotFound
    })
      .annotate(Requires, "maintenance.read")
      .annotate(OpenApi.Summary, "Get a maintenance plan")
      .annotate(OpenApi.Description, "The plan with its next pending due date (`nextDueAt`)."),
    HttpApiEndpoint.patch("update", "/v1/maintenance-plans/:id", {
      params: IdParam,
      headers: IfMatch,
      payload: MaintenancePlan.PlanChanges,
      success: withEtag(MaintenancePlan.MaintenancePlan),
      error: [...writeErrors, Problems.ValidationFailed]
    })
      .annotate(Requires, "maintenance.write")
      .annotate(OpenApi.Summary, "Change a maintenance plan")
      .annotate(
        OpenApi.Description,
        "Any field but the equipment. A changed recurrence, `startsOn` or `at` counts the next due " +
          "date again from now; interventions already opened stay."
      ),
    HttpApiEndpoint.delete("remove", "/v1/maintenance-plans/:id", {
      params: IdParam,
      headers: IfMatch,
      success: HttpApiSchema.NoContent,
      error: writeErrors
    })
      .annotate(Requires, "maintenance.write")
      .annotate(OpenApi.Summary, "Delete a maintenance plan")
      .annotate(OpenApi.Description, "Soft delete: the plan opens nothing more; its interventions stay."),
    HttpApiEndpoint.post("restore", "/v1/maintenance-plans/:id/restore", {
      params: IdParam,
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(MaintenancePlan.MaintenancePlan),
      error: writeErrors
    })
      .annotate(Requires, "maintenance.write")
      .annotate(OpenApi.Summary, "Restore a maintenance plan")
      .annotate(
        OpenApi.Description,
        "Brings a deleted plan back; it goes on from the next due date after now."
      )
      .middleware(Idempotent),
    HttpApiEndpoint.post("pause", "/v1/maintenance-plans/:id/pause", {
      params: IdParam,
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(MaintenancePlan.MaintenancePlan),
      error: writeErrors
    })
      .annotate(Requires, "maintenance.write")
      .annotate(OpenApi.Summary, "Pause a maintenance plan")
      .annotate(
        OpenApi.Description,
        "The plan opens no intervention until resumed. Pausing a paused plan changes nothing."
      )
      .middleware(Idempotent),
    HttpApiEndpoint.post("resume", "/v1/maintenance-plans/:id/resume", {
      params: IdParam,
      headers: { ...IfMatch, ...IdempotencyKeyHeader },
      success: withEtag(MaintenancePlan.MaintenancePlan),
      error: writeErrors
    })
      .annotate(Requires, "maintenance.write")
      .annotate(OpenApi.Summary, "Resume a maintenance plan")
      .annotate(
        OpenApi.Description,
        "The plan opens interventions again from the next due date after now; the dates that fell while it was paused are skipped."
      )
      .middleware(Idempotent),
    HttpApiEndpoint.get("occurrences", "/v1/maintenance-plans/:id/occurrences", {
      params: IdParam,
      query: { count: Schema.optionalKey(Count) },
      success: Occurrences,
      error: [Problems.NotFound, Problems.ValidationFailed]
    })
      .annotate(Requires, "maintenance.read")
      .annotate(OpenApi.Summary, "Next due dates of a plan")
      .annotate(
        OpenApi.Description,
        "The next `count` due dates (1..100, default 10), the pending one first, computed in the org's " +
          "time zone: a wall-clock time that a daylight-saving change skips falls just after the gap, " +
          "one that it repeats is taken once."
      )
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(
    OpenApi.annotations({
      title: "Maintenance plans",
      description:
        "Preventive maintenance: plans that open one PREVENTIVE intervention per due date, exactly " +
        "once whichever server runs the job."
    })
  ) {}

/**
 * @since 0.1.0
 * @category groups
 */
export class PlanningApi extends HttpApiGroup.make("planning")
  .add(
    HttpApiEndpoint.get("view", "/v1/schedule", {
      query: { from: Schema.optionalKey(Instant), to: Schema.optionalKey(Instant) },
      success: PlanningView.PlanningView,
      error: Problems.ValidationFailed
    })
      .annotate(Requires, "schedule.read")
      .annotate(OpenApi.Summary, "Planning view")
      .annotate(
        OpenApi.Description,
        "Over `[from, to)` (at most 92 days; default: the 14 days from now), by technician and by unit: the interventions, bookings, " +
          "approved leave, crew assignments and held offers that claim their time, and the maintenance " +
          "plans' coming due dates (`maintenance_due`), plus every active plan's due dates."
      )
  )
  .middleware(InputGuard)
  .middleware(Tenant)
  .middleware(Authentication)
  .annotateMerge(OpenApi.annotations({ title: "Planning" })) {}
