/**
 * The steps of the missions use case: what it works with, the live project open to changes, a
 * mission that fits its project's dates, and the writes that keep the time of its accepted people
 * in step.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import * as Catalog from "../kernel/Catalog.ts"
import { NotFound, ValidationFailed } from "../kernel/Errors.ts"
import { type Ids, nextId } from "../kernel/Ids.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import { crewAccess } from "./Access.ts"
import { Assignments } from "./Assignments.ts"
import { AssignmentRepo, MissionRepo, ProjectRepo } from "./CrewRepos.ts"
import { checkPeriod, within } from "./CrewTime.ts"
import { type Duplication, intervalOf, Mission, type MissionFields, MissionId } from "./Mission.ts"
import { checkOpen, checkRestorable, type Project, type ProjectId } from "./Project.ts"

type Path = ReadonlyArray<string | number>

/**
 * @since 0.1.0
 * @category constructors
 */
export const make = Effect.gen(function* () {
  const missions = yield* MissionRepo
  return {
    missions,
    catalog: yield* Catalog.make({ entity: "mission", records: missions, access: crewAccess }),
    projects: yield* ProjectRepo,
    assignments: yield* AssignmentRepo,
    crew: yield* Assignments,
    transactor: yield* Transactor,
    ids: yield* Effect.context<Ids>()
  }
})

/**
 * @since 0.1.0
 * @category models
 */
export type Deps = Effect.Success<typeof make>

const liveProject = (deps: Deps, projectId: ProjectId, forUpdate = false) =>
  Effect.gen(function* () {
    const actor = yield* CurrentActor
    const found = yield* deps.projects.find(actor.orgId, projectId, { forUpdate })
    if (Option.isNone(found)) return yield* new NotFound({ entity: "project", id: projectId })
    return found.value
  })

// The live project, locked and open to changes to its missions. Every write of a mission locks
// its project row, so changing the project (archiving it, narrowing its dates) and writing one
// of its missions happen one after the other, never past each other.
const openProject = (deps: Deps, projectId: ProjectId) =>
  Effect.tap(liveProject(deps, projectId, true), checkOpen)

// An existing mission, locked, then its project, locked, deleted or not: the order an update
// takes too (mission first, project second), so two writes never wait on each other in a cycle.
const lockedWithProject = (deps: Deps, id: string, includeDeleted: boolean) =>
  Effect.gen(function* () {
    const actor = yield* CurrentActor
    const mission = yield* deps.missions.find(actor.orgId, id, { includeDeleted, forUpdate: true })
    if (Option.isNone(mission)) return Option.none<{ mission: Mission; project: Project }>()
    const project = yield* deps.projects.find(actor.orgId, mission.value.projectId, {
      includeDeleted: true,
      forUpdate: true
    })
    return Option.map(project, (project) => ({ mission: mission.value, project }))
  })

// A mission's time must be a period inside its project's dates.
const checkFits = (
  project: Project,
  interval: { readonly startAt: DateTime.Utc; readonly endAt: DateTime.Utc },
  path: Path
) => {
  const invalid = checkPeriod(interval.startAt, interval.endAt, path)
  if (invalid !== undefined) return Effect.fail(invalid)
  return within(interval, project)
    ? Effect.void
    : Effect.fail(
        new ValidationFailed({
          errors: [{ path: [...path, "startAt"], message: "must lie within the project's dates" }]
        })
      )
}

const insert = (deps: Deps, project: Project, fields: MissionFields, path: Path) =>
  deps.catalog
    .create(({ orgId, at }) =>
      Effect.gen(function* () {
        yield* checkFits(project, fields, path)
        return new Mission({
          id: yield* nextId(MissionId),
          orgId,
          projectId: project.id,
          title: fields.title,
          role: fields.role,
          startAt: fields.startAt,
          endAt: fields.endAt,
          headcount: fields.headcount,
          location: fields.location ?? null,
          version: 1,
          createdAt: at,
          deletedAt: null
        })
      })
    )
    // Missions have no unique fields.
    .pipe(
      Effect.catchTag("AlreadyExists", (error) => Effect.die(error)),
      Effect.provide(deps.ids)
    )

/**
 * @since 0.1.0
 * @category steps
 */
export const create = (deps: Deps) =>
  Effect.fnUntraced(function* (projectId: ProjectId, fields: MissionFields) {
    yield* Permissions.require(crewAccess.write)
    return yield* deps.transactor.withTransaction(
      Effect.flatMap(openProject(deps, projectId), (project) => insert(deps, project, fields, ["body"]))
    )
  })

/**
 * All of them or, when one is refused, none.
 *
 * @since 0.1.0
 * @category steps
 */
export const createMany = (deps: Deps) =>
  Effect.fnUntraced(function* (projectId: ProjectId, many: ReadonlyArray<MissionFields>) {
    yield* Permissions.require(crewAccess.write)
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const project = yield* openProject(deps, projectId)
        return yield* Effect.forEach(many, (fields, index) =>
          insert(deps, project, fields, ["body", "missions", index])
        )
      })
    )
  })

/**
 * A new interval moves the time of the accepted people; the headcount never drops below them.
 *
 * @since 0.1.0
 * @category steps
 */
export const update =
  (deps: Deps) => (id: string, expectedVersion: Expected, changes: Partial<MissionFields>) =>
    deps.catalog
      .update(id, expectedVersion, (before) =>
        Effect.gen(function* () {
          const actor = yield* CurrentActor
          const interval = {
            startAt: changes.startAt ?? before.startAt,
            endAt: changes.endAt ?? before.endAt
          }
          yield* checkFits(yield* openProject(deps, before.projectId), interval, ["body"])
          const accepted = yield* deps.assignments.countAccepted(actor.orgId, before.id)
          if (changes.headcount !== undefined && changes.headcount < accepted) {
            return yield* new ValidationFailed({
              errors: [
                {
                  path: ["body", "headcount"],
                  message: `must be at least the ${accepted} accepted people`
                }
              ]
            })
          }
          const moved =
            !DateTime.Equivalence(interval.startAt, before.startAt) ||
            !DateTime.Equivalence(interval.endAt, before.endAt)
          if (moved) yield* deps.crew.reschedule(before.id, interval)
          return changes
        })
      )
      .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))

/**
 * Soft-deletes the mission and cancels its open assignments, unless its project is archived.
 *
 * @since 0.1.0
 * @category steps
 */
export const remove = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected) {
    yield* Permissions.require(crewAccess.write)
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const found = yield* lockedWithProject(deps, id, false)
        if (Option.isSome(found)) yield* checkOpen(found.value.project)
        yield* deps.catalog.remove(id, expectedVersion)
        yield* deps.crew.closeAll(MissionId.make(id))
      })
    )
  })

/**
 * Brings a deleted mission back, only into a live, open project and within its dates as they
 * are now (they may have narrowed while the mission was deleted).
 *
 * @since 0.1.0
 * @category steps
 */
export const restore = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, expectedVersion: Expected) {
    yield* Permissions.require(crewAccess.write)
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const found = yield* lockedWithProject(deps, id, true)
        if (Option.isSome(found) && found.value.mission.deletedAt !== null) {
          const { mission, project } = found.value
          yield* checkRestorable(project)
          yield* checkFits(project, mission, [])
        }
        return yield* deps.catalog.restore(id, expectedVersion)
      })
    )
  })

/**
 * A copy of a live mission, in one transaction with the invitations of its crew when asked.
 *
 * @since 0.1.0
 * @category steps
 */
export const duplicate = (deps: Deps) =>
  Effect.fnUntraced(function* (id: string, duplication: Duplication) {
    yield* Permissions.require(crewAccess.write)
    const actor = yield* CurrentActor
    return yield* deps.transactor.withTransaction(
      Effect.gen(function* () {
        const source = yield* deps.catalog.get(id)
        const project = yield* openProject(deps, source.projectId)
        const startAt = duplication.startAt ?? source.startAt
        const length = DateTime.distance(source.startAt, source.endAt)
        const copy = yield* insert(
          deps,
          project,
          {
            title: duplication.title ?? source.title,
            role: source.role,
            ...intervalOf({ startAt, endAt: DateTime.addDuration(startAt, length) }),
            headcount: source.headcount,
            location: source.location
          },
          ["body"]
        )
        if (duplication.inviteCrew === true) {
          for (const open of yield* deps.assignments.listOpen(actor.orgId, source.id)) {
            yield* deps.crew.send(copy, open.accountId)
          }
        }
        return copy
      })
    )
  })
