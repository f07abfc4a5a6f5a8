import { assert, describe, it } from "@effect/vitest"
import { DateTime, Effect, Schema } from "effect"
import * as fc from "fast-check"
import { Assignment, Availability, CrewTime, Ids, Project, RateProfile } from "../../src/index.ts"

const base = Date.UTC(2031, 4, 1)
const at = (hours: number) => DateTime.makeUnsafe(base + hours * 3_600_000)
const interval = (start: number, end: number) => ({ startAt: at(start), endAt: at(end) })
const person = Ids.AccountId.make("018f0000-0000-7000-8000-000000000001")
const org = Ids.OrgId.make("018f0000-0000-7000-8000-000000000002")

const window = (fields: Partial<Availability.Availability> & { start: number; end: number }) =>
  new Availability.Availability({
    id: Availability.AvailabilityId.make("018f0000-0000-7000-8000-000000000003"),
    orgId: org,
    accountId: person,
    kind: "UNAVAILABLE",
    status: "APPROVED",
    note: null,
    version: 1,
    createdAt: at(0),
    deletedAt: null,
    ...fields,
    startAt: at(fields.start),
    endAt: at(fields.end)
  })

const project = (status: Project.ProjectStatus, deletedAt: DateTime.Utc | null = null) =>
  new Project.Project({
    id: Project.ProjectId.make("018f0000-0000-7000-8000-000000000004"),
    orgId: org,
    name: "Festival",
    status,
    startsAt: null,
    endsAt: null,
    version: 1,
    createdAt: at(0),
    deletedAt
  })

const profile = (fields: {
  hourly?: number | null
  daily?: number | null
  currency?: string
  accountId?: string
}) =>
  new RateProfile.RateProfile({
    accountId: Ids.AccountId.make(fields.accountId ?? person),
    orgId: org,
    currency: fields.currency ?? "EUR",
    hourly: fields.hourly ?? null,
    daily: fields.daily ?? null
  })

describe("assignment rules", () => {
  it("answers and cancellation follow the life cycle table; closed assignments stay closed", () => {
    assert.deepStrictEqual(Assignment.transitions.INVITED, ["ACCEPTED", "DECLINED", "CANCELLED"])
    for (const from of Assignment.AssignmentStatus.literals) {
      for (const to of Assignment.AssignmentStatus.literals) {
        const exit = Effect.runSyncExit(Assignment.checkTransition(from, to))
        assert.strictEqual(
          exit._tag === "Success",
          Assignment.transitions[from].includes(to),
          `${from} -> ${to}`
        )
      }
    }
    const error = Effect.runSync(Effect.flip(Assignment.checkTransition("DECLINED", "ACCEPTED")))
    assert.deepStrictEqual([error._tag, error.allowed], ["InvalidTransition", []])
  })

  it("only invited and accepted assignments are open", () => {
    assert.deepStrictEqual(Assignment.AssignmentStatus.literals.filter(Assignment.isOpen), [
      "INVITED",
      "ACCEPTED"
    ])
  })

  it("refuses one acceptance more than the headcount with MissionFull", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 60 }), (headcount, accepted) => {
        const exit = Effect.runSyncExit(Assignment.checkRoom({ id: "m", headcount }, accepted))
        assert.strictEqual(exit._tag === "Success", accepted < headcount)
      })
    )
  })

  it("an archived project's crew stays as it is; a deleted project's missions take nobody but let go", () => {
    const outcome = (of: Project.Project, to: Assignment.AssignmentStatus) =>
      Effect.runSync(
        Effect.match(Assignment.checkProject(of, to), {
          onFailure: (error) => (error._tag === "ProjectClosed" ? error.reason : error._tag),
          onSuccess: () => "allowed"
        })
      )
    const moves = Assignment.AssignmentStatus.literals
    assert.deepStrictEqual(moves, ["INVITED", "ACCEPTED", "DECLINED", "CANCELLED"])
    const table = (of: Project.Project) => moves.map((to) => outcome(of, to))
    assert.deepStrictEqual(table(project("DRAFT")), ["allowed", "allowed", "allowed", "allowed"])
    assert.deepStrictEqual(table(project("ACTIVE")), ["allowed", "allowed", "allowed", "allowed"])
    assert.deepStrictEqual(table(project("ARCHIVED")), ["ARCHIVED", "ARCHIVED", "ARCHIVED", "ARCHIVED"])
    assert.deepStrictEqual(table(project("ACTIVE", at(1))), ["NotFound", "NotFound", "allowed", "allowed"])
    assert.deepStrictEqual(table(project("ARCHIVED", at(1))), [
      "NotFound",
      "NotFound",
      "ARCHIVED",
      "ARCHIVED"
    ])
  })
})

describe("availability rules", () => {
  it("only approved UNAVAILABLE windows that overlap block, each named as a clash of the person", () => {
    const windows = [
      window({ start: 0, end: 10 }),
      window({ start: 20, end: 30, status: "PENDING" }),
      window({ start: 20, end: 30, status: "REJECTED" }),
      window({ start: 20, end: 30, kind: "AVAILABLE" }),
      window({ start: 40, end: 50 })
    ]
    assert.isUndefined(Availability.blockingConflict(windows, interval(10, 40)))
    const conflict = Availability.blockingConflict(windows, interval(5, 45))
    assert.deepStrictEqual(
      conflict?.conflicts.map((clash) => [clash.subjectType, clash.subjectId, clash.startAt, clash.endAt]),
      [
        ["person", person, at(0), at(10)],
        ["person", person, at(40), at(50)]
      ]
    )
  })

  it("a window is decided once", () => {
    assert.strictEqual(
      Effect.runSyncExit(Availability.checkTransition("PENDING", "APPROVED"))._tag,
      "Success"
    )
    assert.strictEqual(
      Effect.runSyncExit(Availability.checkTransition("APPROVED", "REJECTED"))._tag,
      "Failure"
    )
  })
})

describe("project rules", () => {
  it("an archived project may reopen, a running one never goes back to draft", () => {
    assert.strictEqual(Effect.runSyncExit(Project.checkTransition("ARCHIVED", "ACTIVE"))._tag, "Success")
    assert.strictEqual(Effect.runSyncExit(Project.checkTransition("ACTIVE", "DRAFT"))._tag, "Failure")
    assert.strictEqual(Effect.runSyncExit(Project.checkTransition("DRAFT", "DRAFT"))._tag, "Success")
  })

  it("an archived project's missions are closed to changes; none comes back into a deleted one", () => {
    const reason = (check: Effect.Effect<void, Project.ProjectClosed>) =>
      Effect.runSync(Effect.match(check, { onFailure: (error) => error.reason, onSuccess: () => "open" }))
    assert.deepStrictEqual(
      Project.ProjectStatus.literals.map((status) => reason(Project.checkOpen(project(status)))),
      ["open", "open", "ARCHIVED"]
    )
    assert.strictEqual(reason(Project.checkRestorable(project("ACTIVE"))), "open")
    assert.strictEqual(reason(Project.checkRestorable(project("ARCHIVED"))), "ARCHIVED")
    assert.strictEqual(reason(Project.checkRestorable(project("ACTIVE", at(1)))), "DELETED")
  })

  it("dates that would leave missions outside name each one under the date it breaks", () => {
    const piece = (id: string, start: number, end: number) => ({ id, title: id, ...interval(start, end) })
    const missions = [
      piece("early", 0, 4),
      piece("both", -1, 30),
      piece("inside", 4, 20),
      piece("late", 20, 26)
    ]
    const issues = (startsAt: DateTime.Utc | null, endsAt: DateTime.Utc | null) =>
      Effect.runSync(
        Effect.match(Project.checkCovers({ startsAt, endsAt }, missions), {
          onFailure: (error) => error.errors.map((issue) => [issue.path[1], issue.message.split(" ")[3]]),
          onSuccess: () => []
        })
      )
    assert.deepStrictEqual(issues(at(2), at(24)), [
      ["startsAt", "early"],
      ["startsAt", "both"],
      ["endsAt", "late"]
    ])
    assert.deepStrictEqual(issues(null, at(26)), [["endsAt", "both"]])
    assert.deepStrictEqual(issues(at(-1), at(30)), [])
    assert.deepStrictEqual(issues(null, null), [])
  })

  it("a mission lies within its project's dates when they are set", () => {
    const bounds = { startsAt: at(0), endsAt: at(24) }
    assert.isTrue(CrewTime.within(interval(0, 24), bounds))
    assert.isFalse(CrewTime.within(interval(20, 25), bounds))
    assert.isTrue(CrewTime.within(interval(-100, 100), { startsAt: null, endsAt: null }))
  })

  it("moments stay within the years the store keeps", () => {
    const decode = Schema.decodeUnknownOption(CrewTime.Moment)
    assert.strictEqual(decode(at(0))._tag, "Some")
    assert.strictEqual(decode(DateTime.makeUnsafe(Date.UTC(-5000, 0, 1)))._tag, "None")
    assert.isDefined(CrewTime.checkPeriod(at(2), at(2)))
    assert.isUndefined(CrewTime.checkPeriod(at(2), at(3)))
  })
})

describe("cost estimates", () => {
  it("prices by the minute at the hourly rate, else per started day, and counts the unpriced", () => {
    const other = "018f0000-0000-7000-8000-000000000009"
    const third = "018f0000-0000-7000-8000-000000000010"
    const estimate = RateProfile.estimate(
      [
        { accountId: person, interval: interval(0, 1.5) },
        { accountId: other, interval: interval(0, 25) },
        { accountId: third, interval: interval(0, 1) }
      ],
      [profile({ hourly: 3000 }), profile({ accountId: other, daily: 20000, currency: "CHF" })]
    )
    assert.deepStrictEqual(estimate, {
      totals: [
        { amount: 40000, currency: "CHF" },
        { amount: 4500, currency: "EUR" }
      ],
      minutes: 90 + 25 * 60 + 60,
      unpriced: 1
    })
  })

  it("the total is the sum of the pieces' costs", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 10_000 }), { maxLength: 20 }),
        fc.integer({ min: 0, max: 100_000 }),
        (lengths, hourly) => {
          const work = lengths.map((minutes) => ({
            accountId: person,
            interval: { startAt: at(0), endAt: DateTime.makeUnsafe(base + minutes * 60_000) }
          }))
          const estimate = RateProfile.estimate(work, [profile({ hourly })])
          const expected = lengths.reduce((sum, minutes) => sum + Math.round((hourly * minutes) / 60), 0)
          assert.deepStrictEqual(
            estimate.totals,
            lengths.length === 0 ? [] : [{ amount: expected, currency: "EUR" }]
          )
        }
      )
    )
  })
})
