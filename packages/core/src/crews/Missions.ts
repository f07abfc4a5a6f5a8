/**
 * The missions use case: missions are created inside a live project (one at a time or many in
 * one transaction), changed, duplicated and deleted. A mission's time stays the time its
 * accepted people hold: moving it moves their claims, deleting it cancels its assignments. The
 * missions of an archived project stay as they are (`ProjectClosed`) until it is reopened.
 *
 * @since 0.1.0
 */
import { Context, Effect, Layer } from "effect"
import type { AuditLog } from "../kernel/AuditLog.ts"
import type * as Catalog from "../kernel/Catalog.ts"
import type {
  AlreadyExists,
  Conflict,
  Forbidden,
  NotFound,
  PreconditionFailed,
  PreconditionRequired,
  ValidationFailed
} from "../kernel/Errors.ts"
import type { Ids } from "../kernel/Ids.ts"
import type { Outbox } from "../kernel/Outbox.ts"
import type { CurrentActor } from "../kernel/RequestContext.ts"
import type { Transactor } from "../kernel/Transactor.ts"
import type { Expected } from "../kernel/Versioning.ts"
import type { Assignments } from "./Assignments.ts"
import type { AssignmentRepo, MissionRepo, ProjectRepo } from "./CrewRepos.ts"
import type { Duplication, Mission, MissionFields, MissionFilters, MissionSort } from "./Mission.ts"
import * as Steps from "./MissionSteps.ts"
import type { ProjectClosed, ProjectId } from "./Project.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class Missions extends Context.Service<
  Missions,
  Omit<Catalog.Shared<Mission, MissionFilters, MissionSort>, "remove" | "restore"> & {
    readonly create: (
      projectId: ProjectId,
      fields: MissionFields
    ) => Effect.Effect<Mission, Forbidden | NotFound | ValidationFailed | ProjectClosed, CurrentActor>
    /** All of them or, when one is refused, none. */
    readonly createMany: (
      projectId: ProjectId,
      fields: ReadonlyArray<MissionFields>
    ) => Effect.Effect<
      ReadonlyArray<Mission>,
      Forbidden | NotFound | ValidationFailed | ProjectClosed,
      CurrentActor
    >
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
      | Forbidden
      | NotFound
      | PreconditionRequired
      | PreconditionFailed
      | ValidationFailed
      | Conflict
      | ProjectClosed,
      CurrentActor
    >
    /** Soft-deletes the mission and cancels its open assignments. */
    readonly remove: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<
      void,
      Forbidden | NotFound | PreconditionRequired | PreconditionFailed | ProjectClosed,
      CurrentActor
    >
    /**
     * Brings a deleted mission back into its project: refused while the project is deleted or
     * archived (`ProjectClosed`), or when the mission no longer fits its dates.
     */
    readonly restore: (
      id: string,
      expectedVersion: Expected
    ) => Effect.Effect<
      Mission,
      | Forbidden
      | NotFound
      | PreconditionRequired
      | PreconditionFailed
      | AlreadyExists
      | ValidationFailed
      | ProjectClosed,
      CurrentActor
    >
    /**
     * A copy of a live mission, in one transaction with the invitations of its crew when asked:
     * if one person can no longer be invited (they left the org), nothing is created.
     */
    readonly duplicate: (
      id: string,
      duplication: Duplication
    ) => Effect.Effect<
      Mission,
      Forbidden | NotFound | ValidationFailed | AlreadyExists | ProjectClosed,
      CurrentActor
    >
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
    const deps = yield* Steps.make
    return Missions.of({
      list: deps.catalog.list,
      get: deps.catalog.get,
      restore: Effect.fn("Missions.restore")(Steps.restore(deps)),
      create: Effect.fn("Missions.create")(Steps.create(deps)),
      createMany: Effect.fn("Missions.createMany")(Steps.createMany(deps)),
      update: Effect.fn("Missions.update")(Steps.update(deps)),
      remove: Effect.fn("Missions.remove")(Steps.remove(deps)),
      duplicate: Effect.fn("Missions.duplicate")(Steps.duplicate(deps))
    })
  })
)
