/**
 * The part of the crew contract about people's work: assignments (one open per person and
 * mission, counted, listed and summed up as accepted work) and availability windows (the
 * approved `UNAVAILABLE` ones block a person's time). `CrewReposContract` runs these cases.
 *
 * @since 0.1.0
 */
import { DateTime, Effect, Option } from "effect"
import { AssignmentRepo, AvailabilityRepo, MissionRepo } from "../crews/CrewRepos.ts"
import { nextId, OrgId } from "../kernel/Ids.ts"
import { type ContractCase, expectEqual } from "./Contract.ts"
import { assignment, at, crew, everyPage, mission, type Ports, project, window } from "./CrewFixtures.ts"

const ids = (items: ReadonlyArray<{ readonly id: string }>) => items.map((item) => item.id)

/**
 * @since 0.1.0
 * @category suites
 */
export const CrewWorkCases: ReadonlyArray<ContractCase<Ports>> = [
  {
    name: "a person has at most one open assignment per mission; a declined one leaves room",
    run: Effect.gen(function* () {
      const assignments = yield* AssignmentRepo
      const { orgId, people } = yield* crew(1)
      const person = people[0]!
      const festival = yield* project(orgId, "Festival")
      const { id: missionId } = yield* mission(orgId, festival.id, { title: "Load in", start: 0, end: 4 })
      const first = yield* Effect.orDie(assignment(orgId, missionId, person, "INVITED"))
      const twice = yield* Effect.flip(assignment(orgId, missionId, person, "ACCEPTED"))
      yield* expectEqual(
        [twice._tag, twice.entity, twice.field],
        ["AlreadyExists", "assignment", "accountId"],
        "twice"
      )
      const declined = yield* Effect.orDie(
        assignments.update(orgId, first.id, 1, { status: "DECLINED", respondedAt: at(1) })
      )
      yield* expectEqual([declined.status, declined.version], ["DECLINED", 2], "declined")
      const stale = yield* Effect.flip(assignments.update(orgId, first.id, 1, { status: "CANCELLED" }))
      yield* expectEqual(stale._tag, "PreconditionFailed", "a stale answer")
      const again = yield* Effect.orDie(assignment(orgId, missionId, person, "INVITED", 1))
      const reopened = yield* Effect.flip(assignments.update(orgId, first.id, 2, { status: "INVITED" }))
      yield* expectEqual(reopened._tag, "AlreadyExists", "reopening beside an open one")
      yield* expectEqual(yield* assignments.findAnywhere(again.id), Option.some(again), "found anywhere")
      yield* expectEqual(Option.isNone(yield* assignments.findAnywhere("not-a-uuid")), true, "a malformed id")
      yield* expectEqual(
        Option.isNone(yield* assignments.findAnywhere(yield* nextId(OrgId))),
        true,
        "an id nobody has"
      )
      yield* expectEqual(
        Option.isNone(yield* assignments.find(yield* nextId(OrgId), again.id)),
        true,
        "from another org"
      )
    })
  },
  {
    name: "assignments are counted, listed open oldest first, and summed up as a project's accepted work",
    run: Effect.gen(function* () {
      const assignments = yield* AssignmentRepo
      const { orgId, people } = yield* crew(3)
      const [ann, bob, cat] = people as [(typeof people)[0], (typeof people)[0], (typeof people)[0]]
      const festival = yield* project(orgId, "Festival")
      const other = yield* project(orgId, "Other")
      const early = yield* mission(orgId, festival.id, { title: "Early", start: 0, end: 4 })
      const late = yield* mission(orgId, festival.id, { title: "Late", start: 10, end: 14 })
      const elsewhere = yield* mission(orgId, other.id, { title: "Elsewhere", start: 0, end: 2 })
      const declined = yield* Effect.orDie(assignment(orgId, early.id, cat, "DECLINED", 0))
      const invited = yield* Effect.orDie(assignment(orgId, early.id, bob, "INVITED", 1))
      const accepted = yield* Effect.orDie(assignment(orgId, early.id, ann, "ACCEPTED", 2))
      const later = yield* Effect.orDie(assignment(orgId, late.id, ann, "ACCEPTED", 3))
      yield* Effect.orDie(assignment(orgId, elsewhere.id, bob, "ACCEPTED", 4))
      yield* expectEqual(
        yield* assignments.countAccepted(orgId, early.id),
        1,
        "accepted on the early mission"
      )
      yield* expectEqual(yield* assignments.countAccepted(yield* nextId(OrgId), early.id), 0, "another org's")
      yield* expectEqual(ids(yield* assignments.listOpen(orgId, early.id)), [invited.id, accepted.id], "open")
      const work = (
        rows: ReadonlyArray<{ readonly accountId: string; readonly interval: { startAt: DateTime.Utc } }>
      ) =>
        [...rows]
          .map((row) => [row.accountId, DateTime.toEpochMillis(row.interval.startAt)] as const)
          .sort((a, b) => a[1] - b[1])
      const startOf = (hour: number) => DateTime.toEpochMillis(at(hour))
      yield* expectEqual(
        work(yield* assignments.acceptedWork(orgId, festival.id)),
        [
          [ann, startOf(0)],
          [ann, startOf(10)]
        ],
        "accepted work of the project"
      )
      yield* Effect.orDie(
        Effect.flatMap(MissionRepo, (missions) =>
          missions.softDelete(orgId, late.id, undefined, DateTime.makeUnsafe(Date.UTC(2031, 5, 1)))
        )
      )
      yield* expectEqual(
        work(yield* assignments.acceptedWork(orgId, festival.id)),
        [[ann, startOf(0)]],
        "without a deleted mission's"
      )
      yield* expectEqual(
        yield* assignments.acceptedWork(yield* nextId(OrgId), festival.id),
        [],
        "another org's"
      )
      const list = (filters: Parameters<typeof assignments.list>[1]["filters"]) =>
        Effect.map(
          everyPage((cursor) => assignments.list(orgId, { limit: 2, cursor, filters })),
          ids
        )
      yield* expectEqual(
        yield* list({ missionId: early.id }),
        [declined.id, invited.id, accepted.id],
        "of a mission, by creation"
      )
      yield* expectEqual(yield* list({ accountId: ann }), [accepted.id, later.id], "of a person")
      yield* expectEqual(
        yield* list({ accountId: ann, statuses: ["INVITED", "DECLINED"] }),
        [],
        "of a person, by status"
      )
      const newest = yield* assignments.list(orgId, {
        limit: 1,
        sort: { field: "createdAt", direction: "desc" },
        filters: { statuses: ["DECLINED", "INVITED"] }
      })
      yield* expectEqual(ids(newest.items), [invited.id], "newest first")
    })
  },
  {
    name: "approved UNAVAILABLE windows block a person's time; windows list by their filters",
    run: Effect.gen(function* () {
      const windows = yield* AvailabilityRepo
      const { orgId, people } = yield* crew(2)
      const [ann, bob] = people as [(typeof people)[0], (typeof people)[0]]
      const off = (start: number, end: number, status: "APPROVED" | "PENDING" = "APPROVED", created = 0) =>
        window(orgId, ann, { kind: "UNAVAILABLE", status, start, end, created })
      const holiday = yield* off(0, 10, "APPROVED", 3)
      const asked = yield* off(0, 10, "PENDING", 2)
      const free = yield* window(orgId, ann, {
        kind: "AVAILABLE",
        status: "APPROVED",
        start: 0,
        end: 10,
        created: 1
      })
      const next = yield* off(10, 20, "APPROVED", 0)
      const withdrawn = yield* off(6, 9, "APPROVED", 4)
      yield* window(orgId, bob, { kind: "UNAVAILABLE", status: "APPROVED", start: 0, end: 10 })
      yield* Effect.orDie(
        windows.softDelete(orgId, withdrawn.id, 1, DateTime.makeUnsafe(Date.UTC(2031, 5, 1)))
      )
      const blocking = (start: number, end: number) =>
        Effect.map(windows.blocking(orgId, ann, { startAt: at(start), endAt: at(end) }), ids)
      yield* expectEqual(yield* blocking(8, 12), [holiday.id, next.id], "overlapping hours 8 to 12")
      yield* expectEqual(yield* blocking(20, 30), [], "after them (intervals are half-open)")
      yield* expectEqual(
        yield* windows.blocking(yield* nextId(OrgId), ann, { startAt: at(0), endAt: at(30) }),
        [],
        "another org's"
      )
      const list = (
        filters: Parameters<typeof windows.list>[1]["filters"],
        field?: "startAt" | "createdAt"
      ) =>
        Effect.map(
          everyPage((cursor) =>
            windows.list(orgId, {
              limit: 2,
              cursor,
              filters,
              sort: field === undefined ? undefined : { field, direction: "asc" }
            })
          ),
          ids
        )
      const byStart = [holiday, asked, free].map((w) => w.id).sort()
      yield* expectEqual(yield* list({ accountId: ann }), [...byStart, next.id], "by start, then id")
      yield* expectEqual(
        yield* list({ accountId: ann }, "createdAt"),
        [next.id, free.id, asked.id, holiday.id],
        "by creation"
      )
      yield* expectEqual(yield* list({ kinds: ["AVAILABLE"] }), [free.id], "by kind")
      yield* expectEqual(yield* list({ accountId: ann, statuses: ["PENDING"] }), [asked.id], "by status")
      yield* expectEqual(
        yield* list({ accountId: ann, from: at(10), to: at(12) }),
        [next.id],
        "in hours 10 to 12"
      )
      const moved = yield* Effect.orDie(
        windows.update(orgId, next.id, 1, { startAt: at(11), status: "PENDING" })
      )
      yield* expectEqual([moved.status, moved.version], ["PENDING", 2], "moved")
    })
  }
]
