/**
 * The projects use case: versioned, soft-deletable projects moving through their life cycle,
 * each read with its cost estimate for those who may see rates. A project's dates always hold
 * its live missions: narrowing them past one is refused. Deleting a project deletes its live
 * missions with it; restoring it brings none of them back.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Schema } from "effect"
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
import { type Ids, nextId, type OrgId } from "../kernel/Ids.ts"
import type { Outbox } from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import { crewAccess } from "./Access.ts"
import { AssignmentRepo, MissionRepo, ProjectRepo, RateProfileRepo } from "./CrewRepos.ts"
import type { MissionId } from "./Mission.ts"
import { Missions } from "./Missions.ts"
import {
  checkCovers,
  checkTransition,
  Project,
  type ProjectClosed,
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

const isProjectId = Schema.is(ProjectId)

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

// Every live mission of the project, page by page (a project may hold more than a page), by
// title: a text key pages exactly. In id order, the order their rows are locked in. An id that
// is not a project's names none. The repository's own cursors: a refusal here is a defect.
const liveMissions = (missions: MissionRepo["Service"], orgId: OrgId, id: string) =>
  Effect.gen(function* () {
    const ids: Array<MissionId> = []
    if (!isProjectId(id)) return ids
    let cursor: string | undefined
    do {
      const page = yield* missions.list(orgId, {
        limit: 100,
        cursor,
        filters: { projectId: id },
        sort: { field: "title", direction: "asc" }
      })
      ids.push(...page.items.map((mission) => mission.id))
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined)
    return ids.sort()
  }).pipe(Effect.orDie)

// Deletes the project and, in the same transaction, each of its live missions the way
// `Missions.remove` deletes one: its open assignments cancelled and their time freed, every write
// audited and announced. An archived project's missions are not deleted (`ProjectClosed`), so
// neither is the project while it holds any. The missions' rows are locked before the project's,
// the order every write of a mission takes. One created in between (its creation held the
// project's row until it committed) is locked after it; should that meet a write of it waiting
// for the project's row, the database aborts one of the two and the transactor runs it again.
const removeWithMissions = Effect.fnUntraced(function* (
  deps: {
    readonly remove: Catalog.Catalog<Project, ProjectFilters, ProjectSort>["remove"]
    readonly missions: MissionRepo["Service"]
    readonly crew: Missions["Service"]
    readonly transactor: Transactor["Service"]
  },
  id: string,
  expectedVersion: Expected
) {
  yield* Permissions.require(crewAccess.write)
  const actor = yield* CurrentActor
  return yield* deps.transactor.withTransaction(
    Effect.gen(function* () {
      for (const missionId of yield* liveMissions(deps.missions, actor.orgId, id)) {
        yield* deps.missions.find(actor.orgId, missionId, { forUpdate: true })
      }
      yield* deps.remove(id, expectedVersion)
      for (const missionId of yield* liveMissions(deps.missions, actor.orgId, id)) {
        yield* deps.crew.remove(missionId, undefined)
      }
    })
  )
})

/**
 * @since 0.1.0
 * @category services
 */
export class Projects extends Context.Service<
  Projects,
  Omit<Catalog.Shared<Project, ProjectFilters, ProjectSort>, "remove"> & {
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
    /**
     * Soft-deletes the project with its live missions, their open assignments cancelled; refused
     * while it is archived and holds live missions (`ProjectClosed`).
     */
    readonly remove: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<
      void,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | ProjectClosed,
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
  | ProjectRepo
  | MissionRepo
  | AssignmentRepo
  | RateProfileRepo
  | Missions
  | Transactor
  | AuditLog
  | Outbox
  | Ids
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
    const cascade = {
      remove: catalog.remove,
      missions,
      crew: yield* Missions,
      transactor: yield* Transactor
    }

    return Projects.of({
      list: catalog.list,
      get: catalog.get,
      restore: catalog.restore,
      remove: Effect.fn("Projects.remove")((id, expectedVersion) =>
        removeWithMissions(cascade, id, expectedVersion)
      ),
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
