/**
 * The storage ports of crews: projects, missions, assignments and availability windows are
 * versioned records; rate profiles are one row per member.
 *
 * @since 0.1.0
 */
import { Context, type Effect, type Option } from "effect"
import type { AccountId, OrgId } from "../kernel/Ids.ts"
import type { Records } from "../kernel/Records.ts"
import type { Interval } from "../ledger/Interval.ts"
import type { Assignment, AssignmentFilters, AssignmentSort } from "./Assignment.ts"
import type { Availability, AvailabilityFilters, AvailabilitySort } from "./Availability.ts"
import type { Mission, MissionFilters, MissionId, MissionSort } from "./Mission.ts"
import type { Project, ProjectFilters, ProjectId, ProjectSort } from "./Project.ts"
import type { RateProfile } from "./RateProfile.ts"

/**
 * @since 0.1.0
 * @category services
 */
export class ProjectRepo extends Context.Service<
  ProjectRepo,
  Records<Project, ProjectFilters, ProjectSort>
>()("@rota/core/crews/ProjectRepo") {}

/**
 * @since 0.1.0
 * @category services
 */
export class MissionRepo extends Context.Service<
  MissionRepo,
  Records<Mission, MissionFilters, MissionSort>
>()("@rota/core/crews/MissionRepo") {}

/**
 * Assignments: a store of records whose insert refuses a second open assignment of one person
 * to one mission (`AlreadyExists`), plus the reads acceptance and estimates need.
 *
 * @since 0.1.0
 * @category services
 */
export class AssignmentRepo extends Context.Service<
  AssignmentRepo,
  Records<Assignment, AssignmentFilters, AssignmentSort> & {
    /** By id in any org: the invitation link names no org, the assignment does. */
    readonly findAnywhere: (id: string) => Effect.Effect<Option.Option<Assignment>>
    readonly countAccepted: (orgId: OrgId, missionId: MissionId) => Effect.Effect<number>
    /** The invited and accepted assignments of a mission, oldest first. */
    readonly listOpen: (orgId: OrgId, missionId: MissionId) => Effect.Effect<ReadonlyArray<Assignment>>
    /** Each accepted assignment of the project's live missions, with its mission's time. */
    readonly acceptedWork: (
      orgId: OrgId,
      projectId: ProjectId
    ) => Effect.Effect<ReadonlyArray<{ readonly accountId: AccountId; readonly interval: Interval }>>
  }
>()("@rota/core/crews/AssignmentRepo") {}

/**
 * @since 0.1.0
 * @category services
 */
export class AvailabilityRepo extends Context.Service<
  AvailabilityRepo,
  Records<Availability, AvailabilityFilters, AvailabilitySort> & {
    /** The person's live, approved `UNAVAILABLE` windows overlapping `interval`. */
    readonly blocking: (
      orgId: OrgId,
      accountId: AccountId,
      interval: Interval
    ) => Effect.Effect<ReadonlyArray<Availability>>
  }
>()("@rota/core/crews/AvailabilityRepo") {}

/**
 * @since 0.1.0
 * @category services
 */
export class RateProfileRepo extends Context.Service<
  RateProfileRepo,
  {
    readonly find: (orgId: OrgId, accountId: AccountId) => Effect.Effect<Option.Option<RateProfile>>
    /** Creates or replaces the member's profile. */
    readonly put: (profile: RateProfile) => Effect.Effect<RateProfile>
    readonly forAccounts: (
      orgId: OrgId,
      accountIds: ReadonlyArray<AccountId>
    ) => Effect.Effect<ReadonlyArray<RateProfile>>
  }
>()("@rota/core/crews/RateProfileRepo") {}
