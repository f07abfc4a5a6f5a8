/**
 * Crew records written through the crew ports, for the contract suites. A store may require the
 * people they name to be members of the org (PostgreSQL does), so every setting starts from a
 * stored org and members made through the identity ports.
 *
 * @since 0.1.0
 */
import { DateTime, Effect } from "effect"
import { Assignment, AssignmentId, type AssignmentStatus } from "../crews/Assignment.ts"
import {
  Availability,
  AvailabilityId,
  type AvailabilityKind,
  type AvailabilityStatus
} from "../crews/Availability.ts"
import {
  AssignmentRepo,
  AvailabilityRepo,
  MissionRepo,
  ProjectRepo,
  type RateProfileRepo
} from "../crews/CrewRepos.ts"
import { Mission, MissionId } from "../crews/Mission.ts"
import { Project, ProjectId, type ProjectStatus } from "../crews/Project.ts"
import type { AccountRepo, MembershipRepo, OrgRepo } from "../identity/IdentityRepos.ts"
import type { ValidationFailed } from "../kernel/Errors.ts"
import type { AccountId, Ids, OrgId } from "../kernel/Ids.ts"
import { nextId } from "../kernel/Ids.ts"
import type { Page } from "../kernel/Pagination.ts"
import { account, join, org } from "./IdentityFixtures.ts"

/**
 * The ports the suite runs on.
 *
 * @since 0.1.0
 * @category models
 */
export type Ports =
  | ProjectRepo
  | MissionRepo
  | AssignmentRepo
  | AvailabilityRepo
  | RateProfileRepo
  | OrgRepo
  | AccountRepo
  | MembershipRepo
  | Ids

/**
 * Every item of a listing, reading it `limit` at a time from cursor to cursor.
 *
 * @since 0.1.0
 * @category helpers
 */
export const everyPage = <A, R>(
  read: (cursor: string | undefined) => Effect.Effect<Page<A>, ValidationFailed, R>
): Effect.Effect<ReadonlyArray<A>, ValidationFailed, R> =>
  Effect.gen(function* () {
    const seen: Array<A> = []
    let cursor: string | undefined
    do {
      const page = yield* read(cursor)
      seen.push(...page.items)
      cursor = page.nextCursor ?? undefined
    } while (cursor !== undefined)
    return seen
  })

/**
 * The hour `n` of 2031-05-01.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const at = (n: number): DateTime.Utc => DateTime.makeUnsafe(Date.UTC(2031, 4, 1) + n * 3_600_000)

/**
 * A stored org with `members` technicians.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const crew = (members: number) =>
  Effect.gen(function* () {
    const { id: orgId } = yield* org("Crew")
    const people: Array<AccountId> = []
    for (let n = 0; n < members; n++) {
      const person = yield* account({ name: `crew${n}` })
      yield* join(orgId, person.id, "technician")
      people.push(person.id)
    }
    return { orgId, people }
  })

/**
 * A stored project, created at hour `created`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const project = (
  orgId: OrgId,
  name: string,
  fields: {
    readonly status?: ProjectStatus
    readonly startsAt?: DateTime.Utc | null
    readonly endsAt?: DateTime.Utc | null
    readonly created?: number
  } = {}
) =>
  Effect.gen(function* () {
    const projects = yield* ProjectRepo
    return yield* Effect.orDie(
      projects.insert(
        new Project({
          id: yield* nextId(ProjectId),
          orgId,
          name,
          status: fields.status ?? "ACTIVE",
          startsAt: fields.startsAt ?? null,
          endsAt: fields.endsAt ?? null,
          version: 1,
          createdAt: at(fields.created ?? 0),
          deletedAt: null
        })
      )
    )
  })

/**
 * A stored mission of the project from hour `start` to hour `end`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const mission = (
  orgId: OrgId,
  projectId: ProjectId,
  fields: {
    readonly title: string
    readonly start: number
    readonly end: number
    readonly role?: string
    readonly location?: string | null
    readonly created?: number
  }
) =>
  Effect.gen(function* () {
    const missions = yield* MissionRepo
    return yield* Effect.orDie(
      missions.insert(
        new Mission({
          id: yield* nextId(MissionId),
          orgId,
          projectId,
          title: fields.title,
          role: fields.role ?? "rigger",
          startAt: at(fields.start),
          endAt: at(fields.end),
          headcount: 2,
          location: fields.location ?? null,
          version: 1,
          createdAt: at(fields.created ?? 0),
          deletedAt: null
        })
      )
    )
  })

/**
 * An assignment, stored unless the person already has an open one on the mission.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const assignment = (
  orgId: OrgId,
  missionId: MissionId,
  accountId: AccountId,
  status: AssignmentStatus,
  created = 0
) =>
  Effect.gen(function* () {
    const assignments = yield* AssignmentRepo
    return yield* assignments.insert(
      new Assignment({
        id: yield* nextId(AssignmentId),
        orgId,
        missionId,
        accountId,
        status,
        respondBy: at(100),
        respondedAt: status === "INVITED" ? null : at(created),
        version: 1,
        createdAt: at(created),
        deletedAt: null
      })
    )
  })

/**
 * A stored availability window of the person from hour `start` to hour `end`.
 *
 * @since 0.1.0
 * @category fixtures
 */
export const window = (
  orgId: OrgId,
  accountId: AccountId,
  fields: {
    readonly kind: AvailabilityKind
    readonly status: AvailabilityStatus
    readonly start: number
    readonly end: number
    readonly created?: number
  }
) =>
  Effect.gen(function* () {
    const windows = yield* AvailabilityRepo
    return yield* Effect.orDie(
      windows.insert(
        new Availability({
          id: yield* nextId(AvailabilityId),
          orgId,
          accountId,
          kind: fields.kind,
          startAt: at(fields.start),
          endAt: at(fields.end),
          status: fields.status,
          note: null,
          version: 1,
          createdAt: at(fields.created ?? 0),
          deletedAt: null
        })
      )
    )
  })
