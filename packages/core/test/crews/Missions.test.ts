import { assert, it } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import * as Assignments from "../../src/crews/Assignments.ts"
import { AssignmentRepo, ProjectRepo } from "../../src/crews/CrewRepos.ts"
import type { MissionFields, MissionId } from "../../src/crews/Mission.ts"
import * as Missions from "../../src/crews/Missions.ts"
import { MembershipRepo } from "../../src/identity/IdentityRepos.ts"
import { AccountId, Ids, nextId, type OrgId } from "../../src/kernel/Ids.ts"
import { Actor, type CurrentActor } from "../../src/kernel/RequestContext.ts"
import { Ledger } from "../../src/ledger/Ledger.ts"
import { at, crew, project } from "../../src/testing/CrewFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { signer } from "../support/IdentityPorts.ts"
import { as, auditedOf, newTopicsOf } from "../support/UseCases.ts"

// The missions use case on the memory adapters, over the assignments it keeps in step.
const memory = Missions.layer.pipe(
  Layer.provideMerge(Assignments.layer),
  Layer.provideMerge(signer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer))
)

const slot = (title: string, start: number, end: number, headcount = 2): MissionFields => ({
  title,
  role: "rigger",
  startAt: at(start),
  endAt: at(end),
  headcount
})

// An org with a manager, technicians, and a project running from hour 0 to hour 48.
const setting = (people: number) =>
  Effect.gen(function* () {
    const { orgId, people: ids } = yield* crew(people)
    const manager = new Actor({ orgId, accountId: yield* nextId(AccountId), role: "manager" })
    const crewMembers = ids.map((accountId) => new Actor({ orgId, accountId, role: "technician" }))
    const festival = yield* project(orgId, "Festival", { startsAt: at(0), endsAt: at(48) })
    return { orgId, manager, crew: crewMembers, projectId: festival.id }
  })

// The hours a person's time is held on the ledger, as [start, end] pairs.
const heldHours = (orgId: OrgId, person: Actor) =>
  Effect.gen(function* () {
    const ledger = yield* Ledger
    const held = yield* ledger.activeFor(orgId, [{ type: "person", id: person.accountId }], {
      startAt: at(-100),
      endAt: at(100)
    })
    const hourOf = (instant: DateTime.Utc) =>
      (DateTime.toEpochMillis(instant) - DateTime.toEpochMillis(at(0))) / 3_600_000
    return held.map((claim) => [hourOf(claim.interval.startAt), hourOf(claim.interval.endAt)])
  })

// Invites each person to the mission and has them accept it.
const staff = (manager: Actor, missionId: MissionId, people: ReadonlyArray<Actor>) =>
  Effect.gen(function* () {
    const assignments = yield* Assignments.Assignments
    for (const person of people) {
      const { assignment } = yield* as(
        manager,
        assignments.invite({ missionId, accountId: person.accountId })
      )
      yield* as(person, assignments.setStatus(assignment.id, 1, "ACCEPTED"))
    }
  })

const iso = (instant: DateTime.Utc) => DateTime.formatIso(instant)

// Each test on a fresh memory database, at the live clock.
const test = <A, E>(name: string, body: () => Effect.Effect<A, E, Layer.Success<typeof memory>>) =>
  it.live(name, () => Effect.provide(body(), memory))

test("a mission lies inside a live project of the org and within its dates, its end after its start", () =>
  Effect.gen(function* () {
    const missions = yield* Missions.Missions
    const { manager, projectId } = yield* setting(0)
    const stage = yield* as(manager, missions.create(projectId, slot("Stage", 2, 6)))
    assert.deepStrictEqual([stage.projectId, stage.version, stage.location], [projectId, 1, null])
    const late = yield* Effect.flip(as(manager, missions.create(projectId, slot("Late", 46, 50))))
    assert.deepStrictEqual(late._tag === "ValidationFailed" ? late.errors[0]?.path : [], ["body", "startAt"])
    const backwards = yield* Effect.flip(as(manager, missions.create(projectId, slot("Back", 6, 6))))
    assert.deepStrictEqual(backwards._tag === "ValidationFailed" ? backwards.errors[0]?.path : [], [
      "body",
      "endAt"
    ])
    const stranger = new Actor({ ...manager, orgId: (yield* crew(0)).orgId })
    const foreign = yield* Effect.flip(as(stranger, missions.create(projectId, slot("Mine", 2, 6))))
    assert.strictEqual(foreign._tag, "NotFound")
    assert.strictEqual((yield* Effect.flip(as(stranger, missions.get(stage.id))))._tag, "NotFound")
    const technician = new Actor({ ...manager, role: "technician" })
    assert.strictEqual((yield* as(technician, missions.get(stage.id))).title, "Stage")
    const forbidden = yield* Effect.flip(as(technician, missions.create(projectId, slot("Own", 2, 6))))
    assert.strictEqual(forbidden._tag, "Forbidden")
    assert.deepStrictEqual(yield* auditedOf(manager.orgId), ["mission.CREATE"])
    assert.deepStrictEqual(yield* newTopicsOf(manager.orgId), ["mission.created"])
  }))

test("missions created together are all created, or none when one is refused, which is named", () =>
  Effect.gen(function* () {
    const missions = yield* Missions.Missions
    const { manager, projectId } = yield* setting(0)
    const refused = yield* Effect.flip(
      as(manager, missions.createMany(projectId, [slot("Load in", 0, 4), slot("Show", 40, 60)]))
    )
    assert.deepStrictEqual(refused._tag === "ValidationFailed" ? refused.errors[0]?.path : [], [
      "body",
      "missions",
      1,
      "startAt"
    ])
    const listed = yield* as(manager, missions.list({ limit: 10, filters: { projectId } }))
    assert.strictEqual(listed.items.length, 0)
    assert.deepStrictEqual(yield* auditedOf(manager.orgId), [])
    const created = yield* as(
      manager,
      missions.createMany(projectId, [slot("Load in", 0, 4), slot("Show", 4, 8)])
    )
    assert.deepStrictEqual(
      created.map((mission) => mission.title),
      ["Load in", "Show"]
    )
    assert.deepStrictEqual(yield* auditedOf(manager.orgId), ["mission.CREATE", "mission.CREATE"])
  }))

test("a deleted project takes no more missions", () =>
  Effect.gen(function* () {
    const missions = yield* Missions.Missions
    const { orgId, manager } = yield* setting(0)
    const gone = yield* project(orgId, "Gone")
    yield* Effect.orDie((yield* ProjectRepo).softDelete(orgId, gone.id, 1, DateTime.nowUnsafe()))
    const refused = yield* Effect.flip(as(manager, missions.create(gone.id, slot("Late", 2, 4))))
    assert.strictEqual(refused._tag, "NotFound")
  }))

test("an archived project takes no new, changed, duplicated or deleted missions until it is reopened", () =>
  Effect.gen(function* () {
    const missions = yield* Missions.Missions
    const projects = yield* ProjectRepo
    const { orgId, manager, projectId } = yield* setting(0)
    const stage = yield* as(manager, missions.create(projectId, slot("Stage", 2, 6)))
    yield* Effect.orDie(projects.update(orgId, projectId, undefined, { status: "ARCHIVED" }))
    const refused = <A, E>(write: Effect.Effect<A, E, CurrentActor>) => Effect.flip(as(manager, write))
    const refusals = yield* Effect.all([
      refused(missions.create(projectId, slot("Late", 8, 10))),
      refused(missions.createMany(projectId, [slot("Load out", 10, 12)])),
      refused(missions.duplicate(stage.id, { startAt: at(20) })),
      refused(missions.update(stage.id, 1, { title: "Main stage" })),
      refused(missions.remove(stage.id, 1))
    ])
    assert.deepStrictEqual(
      refusals.map((error) =>
        error._tag === "ProjectClosed" ? [error.projectId, error.reason] : error._tag
      ),
      Array.from({ length: 5 }, () => [projectId, "ARCHIVED"])
    )
    const listed = yield* as(manager, missions.list({ limit: 10, filters: { projectId } }))
    assert.deepStrictEqual(
      listed.items.map((mission) => [mission.title, mission.version]),
      [["Stage", 1]]
    )
    assert.deepStrictEqual(yield* auditedOf(orgId), ["mission.CREATE"])
    yield* Effect.orDie(projects.update(orgId, projectId, undefined, { status: "ACTIVE" }))
    assert.strictEqual((yield* as(manager, missions.update(stage.id, 1, { title: "Main stage" }))).version, 2)
  }))

test("a deleted mission comes back only into a live, open project and within its dates as they are now", () =>
  Effect.gen(function* () {
    const missions = yield* Missions.Missions
    const projects = yield* ProjectRepo
    const { orgId, manager, projectId } = yield* setting(0)
    const stage = yield* as(manager, missions.create(projectId, slot("Stage", 2, 6)))
    yield* as(manager, missions.remove(stage.id, 1))
    const restore = Effect.flip(as(manager, missions.restore(stage.id, 2)))
    const closed = (error: Effect.Success<typeof restore>) =>
      error._tag === "ProjectClosed" ? error.reason : error._tag
    yield* Effect.orDie(projects.softDelete(orgId, projectId, undefined, DateTime.nowUnsafe()))
    assert.strictEqual(closed(yield* restore), "DELETED")
    yield* Effect.orDie(projects.restore(orgId, projectId, undefined))
    yield* Effect.orDie(projects.update(orgId, projectId, undefined, { status: "ARCHIVED" }))
    assert.strictEqual(closed(yield* restore), "ARCHIVED")
    // Reopened, but its dates narrowed while the mission was deleted: it no longer fits them.
    yield* Effect.orDie(projects.update(orgId, projectId, undefined, { status: "ACTIVE", startsAt: at(4) }))
    const outside = yield* restore
    assert.deepStrictEqual(outside._tag === "ValidationFailed" ? outside.errors[0]?.path : [], ["startAt"])
    assert.isNotNull((yield* as(manager, missions.get(stage.id, { includeDeleted: true }))).deletedAt)
    yield* Effect.orDie(projects.update(orgId, projectId, undefined, { startsAt: at(0) }))
    const restored = yield* as(manager, missions.restore(stage.id, 2))
    assert.deepStrictEqual([restored.deletedAt, restored.version], [null, 3])
    assert.deepStrictEqual(yield* auditedOf(orgId), [
      "mission.CREATE",
      "mission.SOFT_DELETE",
      "mission.RESTORE"
    ])
  }))

test("moving a mission moves its accepted people's time unless one is busy then; the headcount keeps them", () =>
  Effect.gen(function* () {
    const missions = yield* Missions.Missions
    const { orgId, manager, crew: people, projectId } = yield* setting(2)
    const [ann, bob] = people as [Actor, Actor]
    const stage = yield* as(manager, missions.create(projectId, slot("Stage", 0, 4)))
    const bar = yield* as(manager, missions.create(projectId, slot("Bar", 6, 10, 1)))
    yield* staff(manager, stage.id, [ann, bob])
    yield* staff(manager, bar.id, [ann])
    const move = (version: number, start: number, end: number) =>
      as(manager, missions.update(stage.id, version, { startAt: at(start), endAt: at(end) }))
    assert.strictEqual((yield* Effect.flip(move(1, 5, 9)))._tag, "Conflict", "Ann is at the bar then")
    assert.deepStrictEqual(yield* heldHours(orgId, ann), [
      [0, 4],
      [6, 10]
    ])
    const moved = yield* move(1, 20, 24)
    assert.strictEqual(moved.version, 2)
    assert.deepStrictEqual(yield* heldHours(orgId, ann), [
      [6, 10],
      [20, 24]
    ])
    assert.deepStrictEqual(yield* heldHours(orgId, bob), [[20, 24]])
    const shrink = yield* Effect.flip(as(manager, missions.update(stage.id, 2, { headcount: 1 })))
    assert.deepStrictEqual(shrink._tag === "ValidationFailed" ? shrink.errors[0]?.path : [], [
      "body",
      "headcount"
    ])
    const stale = yield* Effect.flip(as(manager, missions.update(stage.id, 1, { title: "Main stage" })))
    assert.strictEqual(stale._tag, "PreconditionFailed")
  }))

test("deleting a mission cancels its open assignments and frees their time", () =>
  Effect.gen(function* () {
    const missions = yield* Missions.Missions
    const assignments = yield* Assignments.Assignments
    const { orgId, manager, crew: people, projectId } = yield* setting(2)
    const [ann, bob] = people as [Actor, Actor]
    const stage = yield* as(manager, missions.create(projectId, slot("Stage", 0, 4)))
    yield* staff(manager, stage.id, [ann])
    yield* as(manager, assignments.invite({ missionId: stage.id, accountId: bob.accountId }))
    const stale = yield* Effect.flip(as(manager, missions.remove(stage.id, 2)))
    assert.strictEqual(stale._tag, "PreconditionFailed")
    yield* as(manager, missions.remove(stage.id, 1))
    assert.strictEqual((yield* Effect.flip(as(manager, missions.get(stage.id))))._tag, "NotFound")
    const left = yield* as(manager, assignments.list({ limit: 10, filters: { missionId: stage.id } }))
    assert.deepStrictEqual(
      left.items.map((assignment) => assignment.status),
      ["CANCELLED", "CANCELLED"]
    )
    assert.deepStrictEqual(yield* heldHours(orgId, ann), [])
    const restored = yield* as(manager, missions.restore(stage.id, 2))
    assert.deepStrictEqual([restored.deletedAt, restored.version], [null, 3])
    assert.strictEqual(yield* (yield* AssignmentRepo).countAccepted(orgId, stage.id), 0)
    assert.deepStrictEqual((yield* auditedOf(orgId)).slice(-4), [
      "mission.SOFT_DELETE",
      "assignment.STATUS_CHANGE",
      "assignment.STATUS_CHANGE",
      "mission.RESTORE"
    ])
  }))

test("a duplicate keeps the mission's length at its new start and invites its open crew when asked", () =>
  Effect.gen(function* () {
    const missions = yield* Missions.Missions
    const assignments = yield* Assignments.Assignments
    const repo = yield* AssignmentRepo
    const { orgId, manager, crew: people, projectId } = yield* setting(3)
    const [ann, bob, cy] = people as [Actor, Actor, Actor]
    const stage = yield* as(manager, missions.create(projectId, slot("Stage", 0, 4)))
    yield* staff(manager, stage.id, [ann])
    yield* as(manager, assignments.invite({ missionId: stage.id, accountId: bob.accountId }))
    const declined = yield* as(manager, assignments.invite({ missionId: stage.id, accountId: cy.accountId }))
    yield* as(cy, assignments.setStatus(declined.assignment.id, 1, "DECLINED"))
    const copy = yield* as(
      manager,
      missions.duplicate(stage.id, { startAt: at(24), title: "Stage, day 2", inviteCrew: true })
    )
    assert.deepStrictEqual(
      [copy.title, iso(copy.startAt), iso(copy.endAt), copy.headcount],
      ["Stage, day 2", iso(at(24)), iso(at(28)), 2]
    )
    // Those invited or accepted are invited again; who declined is not.
    const invited = yield* repo.listOpen(orgId, copy.id)
    assert.deepStrictEqual(
      invited.map((assignment) => [assignment.accountId, assignment.status]),
      [
        [ann.accountId, "INVITED"],
        [bob.accountId, "INVITED"]
      ]
    )
    const plain = yield* as(manager, missions.duplicate(stage.id, {}))
    assert.deepStrictEqual([plain.title, iso(plain.startAt)], ["Stage", iso(at(0))])
    assert.strictEqual((yield* repo.listOpen(orgId, plain.id)).length, 0)
  }))

test("a duplicate that cannot invite its whole crew, or falls outside the project, creates nothing", () =>
  Effect.gen(function* () {
    const missions = yield* Missions.Missions
    const assignments = yield* Assignments.Assignments
    const { orgId, manager, crew: people, projectId } = yield* setting(1)
    const ann = people[0]!
    const stage = yield* as(manager, missions.create(projectId, slot("Stage", 0, 4)))
    yield* as(manager, assignments.invite({ missionId: stage.id, accountId: ann.accountId }))
    const outside = yield* Effect.flip(as(manager, missions.duplicate(stage.id, { startAt: at(46) })))
    assert.strictEqual(outside._tag, "ValidationFailed")
    yield* Effect.orDie((yield* MembershipRepo).remove(orgId, ann.accountId, undefined, DateTime.nowUnsafe()))
    const left = yield* Effect.flip(as(manager, missions.duplicate(stage.id, { inviteCrew: true })))
    assert.deepStrictEqual(left._tag === "NotFound" ? [left._tag, left.entity] : [], ["NotFound", "member"])
    const listed = yield* as(manager, missions.list({ limit: 10, filters: { projectId } }))
    assert.deepStrictEqual(
      listed.items.map((mission) => mission.id),
      [stage.id]
    )
    assert.deepStrictEqual(yield* auditedOf(orgId), ["mission.CREATE", "assignment.CREATE"])
  }))
