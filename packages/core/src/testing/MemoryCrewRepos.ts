/**
 * The crew ports on the {@link MemoryDatabase}: projects, missions, assignments and availability
 * windows on {@link MemoryRecords}, rate profiles as one row per member. The same filters, sorts
 * and rules as on PostgreSQL (`CrewReposContract` holds both to them): an assignment is open
 * (invited or accepted) at most once per person and mission.
 *
 * @since 0.1.0
 */
import { type DateTime, Effect, Layer, Option } from "effect"
import { Assignment, type AssignmentFilters, type AssignmentSort, isOpen } from "../crews/Assignment.ts"
import { Availability, type AvailabilityFilters, type AvailabilitySort } from "../crews/Availability.ts"
import {
  AssignmentRepo,
  AvailabilityRepo,
  MissionRepo,
  ProjectRepo,
  RateProfileRepo
} from "../crews/CrewRepos.ts"
import { Mission, type MissionFilters, type MissionSort } from "../crews/Mission.ts"
import { Project, type ProjectFilters, type ProjectSort } from "../crews/Project.ts"
import type { RateProfile } from "../crews/RateProfile.ts"
import { isUuid } from "../kernel/Ids.ts"
import { MemoryDatabase, put, rows } from "./MemoryDatabase.ts"
import * as MemoryRecords from "./MemoryRecords.ts"

const { contains, millis } = MemoryRecords

const byCreation = (record: { readonly createdAt: DateTime.Utc }) => millis(record.createdAt)
const byStart = (record: { readonly startAt: DateTime.Utc }) => millis(record.startAt)

const inList = <A>(values: ReadonlyArray<A> | undefined, value: A) =>
  values === undefined || values.length === 0 || values.includes(value)

// Whether [start, end) overlaps the window; a missing bound, on either side, is unbounded.
const overlaps = (
  start: DateTime.Utc | null,
  end: DateTime.Utc | null,
  window: { readonly from?: DateTime.Utc | undefined; readonly to?: DateTime.Utc | undefined }
) =>
  (window.from === undefined || end === null || millis(end) > millis(window.from)) &&
  (window.to === undefined || start === null || millis(start) < millis(window.to))

const projectRecords: MemoryRecords.Options<Project, ProjectFilters, ProjectSort> = {
  table: "projects",
  entity: "project",
  make: (fields) => new Project(fields),
  filters: (project, filters) =>
    inList(filters.statuses, project.status) &&
    contains(filters.q, project.name) &&
    overlaps(project.startsAt, project.endsAt, filters),
  sorts: { name: (project) => project.name, createdAt: byCreation },
  defaultSort: { field: "createdAt", direction: "asc" }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const projectRepo: Layer.Layer<ProjectRepo, never, MemoryDatabase> = Layer.effect(
  ProjectRepo,
  MemoryRecords.make(projectRecords)
)

const missions = MemoryRecords.tableOf<Mission>("missions")

const missionRecords: MemoryRecords.Options<Mission, MissionFilters, MissionSort> = {
  table: "missions",
  entity: "mission",
  make: (fields) => new Mission(fields),
  filters: (mission, filters) =>
    (filters.projectId === undefined || mission.projectId === filters.projectId) &&
    (filters.role === undefined || mission.role.toLowerCase() === filters.role.trim().toLowerCase()) &&
    contains(filters.q, mission.title, mission.location) &&
    overlaps(mission.startAt, mission.endAt, filters),
  sorts: { startAt: byStart, title: (mission) => mission.title, createdAt: byCreation },
  defaultSort: { field: "startAt", direction: "asc" }
}

/**
 * @since 0.1.0
 * @category layers
 */
export const missionRepo: Layer.Layer<MissionRepo, never, MemoryDatabase> = Layer.effect(
  MissionRepo,
  MemoryRecords.make(missionRecords)
)

const assignments = MemoryRecords.tableOf<Assignment>("assignments")

const oldestFirst = (a: Assignment, b: Assignment) =>
  byCreation(a) - byCreation(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/**
 * @since 0.1.0
 * @category layers
 */
export const assignmentRepo: Layer.Layer<AssignmentRepo, never, MemoryDatabase> = Layer.effect(
  AssignmentRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const records = yield* MemoryRecords.make<Assignment, AssignmentFilters, AssignmentSort>({
      table: "assignments",
      entity: "assignment",
      make: (fields) => new Assignment(fields),
      filters: (assignment, filters) =>
        (filters.missionId === undefined || assignment.missionId === filters.missionId) &&
        (filters.accountId === undefined || assignment.accountId === filters.accountId) &&
        inList(filters.statuses, assignment.status),
      sorts: { createdAt: byCreation },
      defaultSort: { field: "createdAt", direction: "asc" },
      // Closed assignments get a key of their own, so only open ones can clash.
      unique: [
        {
          field: "accountId",
          key: (a) => (isOpen(a.status) ? `${a.missionId}/${a.accountId}` : `closed/${a.id}`)
        }
      ]
    })
    const ofMission = (orgId: string, missionId: string) =>
      Effect.map(database.read(assignments), (all) =>
        [...all.values()].filter((a) => a.orgId === orgId && a.missionId === missionId)
      )
    const findAnywhere = Effect.fn("AssignmentRepo.findAnywhere")(function* (id: string) {
      if (!isUuid(id)) return Option.none<Assignment>()
      const all = yield* database.read(assignments)
      return Option.fromNullishOr([...all.values()].find((a) => a.id === id))
    })
    const countAccepted = Effect.fn("AssignmentRepo.countAccepted")(function* (
      orgId: string,
      missionId: string
    ) {
      return (yield* ofMission(orgId, missionId)).filter((a) => a.status === "ACCEPTED").length
    })
    const listOpen = Effect.fn("AssignmentRepo.listOpen")(function* (orgId: string, missionId: string) {
      return (yield* ofMission(orgId, missionId)).filter((a) => isOpen(a.status)).sort(oldestFirst)
    })
    const acceptedWork = Effect.fn("AssignmentRepo.acceptedWork")(function* (
      orgId: string,
      projectId: string
    ) {
      const all = yield* database.read(assignments)
      const live = yield* database.read(missions)
      return [...all.values()].flatMap((a) => {
        const mission = live.get(`${orgId}/${a.missionId}`)
        return a.orgId === orgId &&
          a.status === "ACCEPTED" &&
          mission !== undefined &&
          mission.projectId === projectId &&
          mission.deletedAt === null
          ? [{ accountId: a.accountId, interval: { startAt: mission.startAt, endAt: mission.endAt } }]
          : []
      })
    })
    return AssignmentRepo.of({ ...records, findAnywhere, countAccepted, listOpen, acceptedWork })
  })
)

const windows = MemoryRecords.tableOf<Availability>("availability_windows")

/**
 * @since 0.1.0
 * @category layers
 */
export const availabilityRepo: Layer.Layer<AvailabilityRepo, never, MemoryDatabase> = Layer.effect(
  AvailabilityRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const records = yield* MemoryRecords.make<Availability, AvailabilityFilters, AvailabilitySort>({
      table: "availability_windows",
      entity: "availability",
      make: (fields) => new Availability(fields),
      filters: (window, filters) =>
        (filters.accountId === undefined || window.accountId === filters.accountId) &&
        inList(filters.kinds, window.kind) &&
        inList(filters.statuses, window.status) &&
        overlaps(window.startAt, window.endAt, filters),
      sorts: { startAt: byStart, createdAt: byCreation },
      defaultSort: { field: "startAt", direction: "asc" }
    })
    const blocking = Effect.fn("AvailabilityRepo.blocking")(function* (
      orgId: string,
      accountId: string,
      interval: { readonly startAt: DateTime.Utc; readonly endAt: DateTime.Utc }
    ) {
      const all = yield* database.read(windows)
      return [...all.values()]
        .filter(
          (w) =>
            w.orgId === orgId &&
            w.accountId === accountId &&
            w.deletedAt === null &&
            w.kind === "UNAVAILABLE" &&
            w.status === "APPROVED" &&
            millis(w.startAt) < millis(interval.endAt) &&
            millis(w.endAt) > millis(interval.startAt)
        )
        .sort((a, b) => byStart(a) - byStart(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    })
    return AvailabilityRepo.of({ ...records, blocking })
  })
)

const profiles = rows<RateProfile>("rate_profiles")

/**
 * @since 0.1.0
 * @category layers
 */
export const rateProfileRepo: Layer.Layer<RateProfileRepo, never, MemoryDatabase> = Layer.effect(
  RateProfileRepo,
  Effect.gen(function* () {
    const database = yield* MemoryDatabase
    const find = Effect.fn("RateProfileRepo.find")(function* (orgId: string, accountId: string) {
      return Option.fromNullishOr((yield* database.read(profiles)).get(`${orgId}/${accountId}`))
    })
    const save = Effect.fn("RateProfileRepo.put")(function* (profile: RateProfile) {
      const key = `${profile.orgId}/${profile.accountId}`
      return yield* database.modify(profiles, (table) => [profile, put(table, key, profile)] as const)
    })
    const forAccounts = Effect.fn("RateProfileRepo.forAccounts")(function* (
      orgId: string,
      accountIds: ReadonlyArray<string>
    ) {
      const table = yield* database.read(profiles)
      return [...new Set(accountIds)].flatMap((accountId) => {
        const profile = table.get(`${orgId}/${accountId}`)
        return profile === undefined ? [] : [profile]
      })
    })
    return RateProfileRepo.of({ find, put: save, forAccounts })
  })
)

/**
 * Every crew port.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  ProjectRepo | MissionRepo | AssignmentRepo | AvailabilityRepo | RateProfileRepo,
  never,
  MemoryDatabase
> = Layer.mergeAll(projectRepo, missionRepo, assignmentRepo, availabilityRepo, rateProfileRepo)
