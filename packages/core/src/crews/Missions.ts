/**
 * The missions use case: missions are created inside a live project (one at a time or many in
 * one transaction), changed, duplicated and deleted. A mission's time stays the time its
 * accepted people hold: moving it moves their claims, deleting it cancels its assignments.
 *
 * @since 0.1.0
 */
import { Context, DateTime, Effect, Layer, Option } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import * as Catalog from "../kernel/Catalog.ts"
import {
  type AlreadyExists,
  type Conflict,
  type Forbidden,
  NotFound,
  type PreconditionFailed,
  type PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import { type Ids, nextId } from "../kernel/Ids.ts"
import type { Outbox } from "../kernel/Outbox.ts"
import * as Permissions from "../kernel/Permissions.ts"
import { CurrentActor } from "../kernel/RequestContext.ts"
import { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import { crewAccess } from "./Access.ts"
import { Assignments } from "./Assignments.ts"
import { AssignmentRepo, MissionRepo, ProjectRepo } from "./CrewRepos.ts"
import { checkPeriod, within } from "./CrewTime.ts"
import {
  type Duplication,
  intervalOf,
  Mission,
  type MissionFields,
  type MissionFilters,
  MissionId,
  type MissionSort
} from "./Mission.ts"
import type { Project, ProjectId } from "./Project.ts"

type Path = ReadonlyArray<string | number>

/**
 * @since 0.1.0
 * @category services
 */
export class Missions extends Context.Service<
  Missions,
  Omit<Catalog.Shared<Mission, MissionFilters, MissionSort>, "remove"> & {
    readonly create: (
      projectId: ProjectId,
      fields: MissionFields
    ) => Effect.Effect<Mission, Forbidden | NotFound | ValidationFailed, CurrentActor>
    /** All of them or, when one is refused, none. */
    readonly createMany: (
      projectId: ProjectId,
      fields: ReadonlyArray<MissionFields>
    ) => Effect.Effect<ReadonlyArray<Mission>, Forbidden | NotFound | ValidationFailed, CurrentActor>
    /**
     * A new interval moves the time of the accepted people (`Conflict` if one of them is busy
     * then); the headcount never drops below the accepted people.
     */
    readonly update: (
      id: string,
      expectedVersion: Expected,
      changes: Partial<MissionFields>
    ) => Effect.Effect<
      Mission,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | ValidationFailed | Conflict,
      CurrentActor
    >
    /** Soft-deletes the mission and cancels its open assignments. */
    readonly remove: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<void, Forbidden | NotFound | PreconditionRequired | PreconditionFailed, CurrentActor>
    /**
     * A copy of a live mission, in one transaction with the invitations of its crew when asked:
     * if one person can no longer be invited (they left the org), nothing is created.
     */
    readonly duplicate: (
      id: string,
      duplication: Duplication
    ) => Effect.Effect<Mission, Forbidden | NotFound | ValidationFailed | AlreadyExists, CurrentActor>
  }
>()("@rota/core/crews/Missions") {}

/**
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  Missions,
  never,
  MissionRepo | ProjectRepo | AssignmentRepo | Assignments | Transactor | AuditLog | Outbox | Ids
> = Layer.effect(
  Missions,
  Effect.gen(function* () {
    const missions = yield* MissionRepo
    const catalog = yield* Catalog.make({ entity: "mission", records: missions, access: crewAccess })
    const projects = yield* ProjectRepo
    const assignments = yield* AssignmentRepo
    const crew = yield* Assignments
    const transactor = yield* Transactor
    const ids = yield* Effect.context<Ids>()

    const liveProject = (projectId: ProjectId, forUpdate = false) =>
      Effect.gen(function* () {
        const actor = yield* CurrentActor
        const found = yield* projects.find(actor.orgId, projectId, { forUpdate })
        if (Option.isNone(found)) return yield* new NotFound({ entity: "project", id: projectId })
        return found.value
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

    const insert = (project: Project, fields: MissionFields, path: Path) =>
      catalog
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
          Effect.provide(ids)
        )

    const createMany: Missions["Service"]["createMany"] = Effect.fn("Missions.createMany")(
      function* (projectId, many) {
        yield* Permissions.require(crewAccess.write)
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const project = yield* liveProject(projectId, true)
            return yield* Effect.forEach(many, (fields, index) =>
              insert(project, fields, ["body", "missions", index])
            )
          })
        )
      }
    )

    return Missions.of({
      list: catalog.list,
      get: catalog.get,
      restore: catalog.restore,
      create: Effect.fn("Missions.create")(function* (projectId, fields) {
        yield* Permissions.require(crewAccess.write)
        return yield* transactor.withTransaction(
          Effect.flatMap(liveProject(projectId, true), (project) => insert(project, fields, ["body"]))
        )
      }),
      createMany,
      update: Effect.fn("Missions.update")((id, expectedVersion, changes) =>
        catalog
          .update(id, expectedVersion, (before) =>
            Effect.gen(function* () {
              const actor = yield* CurrentActor
              const interval = {
                startAt: changes.startAt ?? before.startAt,
                endAt: changes.endAt ?? before.endAt
              }
              yield* checkFits(yield* liveProject(before.projectId), interval, ["body"])
              const accepted = yield* assignments.countAccepted(actor.orgId, before.id)
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
              if (moved) yield* crew.reschedule(before.id, interval)
              return changes
            })
          )
          .pipe(Effect.catchTag("AlreadyExists", (error) => Effect.die(error)))
      ),
      remove: Effect.fn("Missions.remove")((id, expectedVersion) =>
        transactor.withTransaction(
          Effect.gen(function* () {
            yield* catalog.remove(id, expectedVersion)
            yield* crew.closeAll(MissionId.make(id))
          })
        )
      ),
      duplicate: Effect.fn("Missions.duplicate")(function* (id, duplication) {
        yield* Permissions.require(crewAccess.write)
        const actor = yield* CurrentActor
        return yield* transactor.withTransaction(
          Effect.gen(function* () {
            const source = yield* catalog.get(id)
            const project = yield* liveProject(source.projectId, true)
            const startAt = duplication.startAt ?? source.startAt
            const length = DateTime.distance(source.startAt, source.endAt)
            const copy = yield* insert(
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
              for (const open of yield* assignments.listOpen(actor.orgId, source.id)) {
                yield* crew.send(copy, open.accountId)
              }
            }
            return copy
          })
        )
      })
    })
  })
)
