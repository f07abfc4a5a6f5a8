/**
 * The projects use case: versioned, soft-deletable projects moving through their life cycle,
 * each read with its cost estimate for those who may see rates. A project's dates always hold
 * its live missions: narrowing them past one is refused.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as Catalog from "../kernel/Catalog.ts"
import {
  type AlreadyExists,
  type Forbidden,
  type InvalidTransition,
  type NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import { type Ids, nextId } from "../kernel/Ids.ts"
import type { Outbox } from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import { crewAccess } from "./Access.ts"
import { AssignmentRepo, MissionRepo, ProjectRepo, RateProfileRepo } from "./CrewRepos.ts"
import {
  checkCovers,
  checkTransition,
  Project,
  type ProjectFields,
  type ProjectFilters,
  ProjectId,
  type ProjectSort
} from "./Project.ts"
import { type CostEstimate, estimate } from "./RateProfile.ts"

/**
 * A project with what its accepted assignments cost, or `null` for callers who may not see
 * rates.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProjectDetail {
  readonly project: Project
  readonly estimatedCost: CostEstimate | null
}

type Bounds = { readonly startsAt: DateTime.Utc | null; readonly endsAt: DateTime.Utc | null }

const checkBounds = (fields: Bounds) =>
  fields.startsAt !== null &&
  fields.endsAt !== null &&
  !DateTime.isGreaterThan(fields.endsAt, fields.startsAt)
    ? Effect.fail(
        new ValidationFailed({ errors: [{ path: ["body", "endsAt"], message: "must be after startsAt" }] })
      )
    : Effect.void

// The live missions of the project that start before `startsAt` or end after `endsAt`, up to 100
// on each side: enough to name in an answer. Read in the update's transaction, after the project
// row is locked, which every write of a mission locks too.
const missionsOutside = (missions: MissionRepo["Service"], project: Project, bounds: Bounds) =>
  Effect.gen(function* () {
    const side = (window: { readonly from?: DateTime.Utc; readonly to?: DateTime.Utc }) =>
      Effect.map(
        missions.list(project.orgId, { limit: 100, filters: { projectId: project.id, ...window } }),
        (page) => page.items
      )
    const before = bounds.startsAt === null ? [] : yield* side({ to: bounds.startsAt })
    const after = bounds.endsAt === null ? [] : yield* side({ from: bounds.endsAt })
    const seen = new Set(before.map((mission) => mission.id))
    return [...before, ...after.filter((mission) => !seen.has(mission.id))]
  }).pipe(Effect.orDie)

/**
 * @since 0.1.0
 * @category services
 */
export class Projects extends Context.Service<
  Projects,
  Catalog.Shared<Project, ProjectFilters, ProjectSort> & {
    readonly detail: (
      id: string,
      options?: { readonly includeDeleted?: boolean | undefined }
    ) => Effect.Effect<ProjectDetail, Forbidden | NotFound, CurrentActor>
    readonly create: (
      fields: ProjectFields
    ) => Effect.Effect<Project, Forbidden | ValidationFailed, CurrentActor>
    readonly update: (
      id: string,
      expectedVersion: Expected,
      changes: Partial<ProjectFields>
    ) => Effect.Effect<
      Project,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | ValidationFailed | InvalidTransition,
      CurrentActor
    >
  }
>()("@rota/core/crews/Projects") {}

// Projects have no unique fields.
const noDuplicates = <A, E, R>(effect: Effect.Effect<A, E | AlreadyExists, R>) =>
  Effect.catchTag(effect, "AlreadyExists", (error) => Effect.die(error)) as Effect.Effect<
    A,
    Exclude<E, AlreadyExists>,
    R
  >

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Projects,
  never,
  ProjectRepo | MissionRepo | AssignmentRepo | RateProfileRepo | Transactor | AuditLog | Outbox | Ids
> = Layer.effect(
  Projects,
  Effect.gen(function* () {
    const catalog = yield* Catalog.make({
      entity: "project",
      records: yield* ProjectRepo,
      access: crewAccess
    })
    const missions = yield* MissionRepo
    const assignments = yield* AssignmentRepo
    const profiles = yield* RateProfileRepo
    const ids = yield* Effect.context<Ids>()

    return Projects.of({
      ...Catalog.shared(catalog),
      detail: Effect.fn("Projects.detail")(function* (id, options) {
        const project = yield* catalog.get(id, options)
        const actor = yield* CurrentActor
        if (!Permissions.allows(actor, "rate_profile.manage")) return { project, estimatedCost: null }
        const work = yield* assignments.acceptedWork(actor.orgId, project.id)
        const rates = yield* profiles.forAccounts(actor.orgId, [
          ...new Set(work.map((piece) => piece.accountId))
        ])
        return { project, estimatedCost: estimate(work, rates) }
      }),
      create: Effect.fn("Projects.create")((fields) =>
        noDuplicates(
          catalog.create(({ orgId, at }) =>
            Effect.gen(function* () {
              const bounds = { startsAt: fields.startsAt ?? null, endsAt: fields.endsAt ?? null }
              yield* checkBounds(bounds)
              return new Project({
                id: yield* nextId(ProjectId),
                orgId,
                name: fields.name,
                status: fields.status ?? "DRAFT",
                ...bounds,
                version: 1,
                createdAt: at,
                deletedAt: null
              })
            })
          )
        ).pipe(Effect.provide(ids))
      ),
      update: Effect.fn("Projects.update")((id, expectedVersion, changes) =>
        noDuplicates(
          catalog.update(id, expectedVersion, (before) =>
            Effect.gen(function* () {
              const bounds = {
                startsAt: changes.startsAt === undefined ? before.startsAt : changes.startsAt,
                endsAt: changes.endsAt === undefined ? before.endsAt : changes.endsAt
              }
              yield* checkBounds(bounds)
              if (changes.status !== undefined) yield* checkTransition(before.status, changes.status)
              if (changes.startsAt !== undefined || changes.endsAt !== undefined) {
                yield* checkCovers(bounds, yield* missionsOutside(missions, before, bounds))
              }
              return changes
            })
          )
        )
      )
    })
  })
)
