import { assert, it } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Assignments from "../../src/crews/Assignments.ts"
import { MissionRepo, RateProfileRepo } from "../../src/crews/CrewRepos.ts"
import type { MissionFields } from "../../src/crews/Mission.ts"
import * as Missions from "../../src/crews/Missions.ts"
import * as Projects from "../../src/crews/Projects.ts"
import { RateProfile } from "../../src/crews/RateProfile.ts"
import { AccountId, Ids, nextId, OrgId } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import { missing } from "../../src/kernel/Versioning.ts"
import { Ledger } from "../../src/ledger/Ledger.ts"
import { assignment, at, crew, mission } from "../../src/testing/CrewFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { signer } from "../support/IdentityPorts.ts"
import { as, auditedOf, newTopicsOf } from "../support/UseCases.ts"

// The projects use case on the memory adapters, over the missions and assignments it deletes:
// its rules in milliseconds, no database.
const memory = Projects.layer.pipe(
  Layer.provideMerge(Missions.layer),
  Layer.provideMerge(Assignments.layer),
  Layer.provideMerge(signer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer))
)

const actorIn = (orgId: OrgId, role: Role) =>
  Effect.map(nextId(AccountId), (accountId) => new Actor({ orgId, accountId, role }))

const newManager = Effect.flatMap(nextId(OrgId), (orgId) => actorIn(orgId, "manager"))

const slot = (title: string, start: number, end: number): MissionFields => ({
  title,
  role: "rigger",
  startAt: at(start),
  endAt: at(end),
  headcount: 2
})

// How many claims on the person's time the ledger holds.
const heldBy = (orgId: OrgId, accountId: AccountId) =>
  Effect.flatMap(Effect.service(Ledger), (ledger) =>
    Effect.map(
      ledger.activeFor(orgId, [{ type: "person", id: accountId }], { startAt: at(-100), endAt: at(100) }),
      (held) => held.length
    )
  )

// Each test on a fresh memory database, at the live clock.
const test = <A, E>(name: string, body: () => Effect.Effect<A, E, Layer.Success<typeof memory>>) =>
  it.live(name, () => Effect.provide(body(), memory))

test("a project starts as a draft and moves along its life cycle; each move is audited and announced", () =>
  Effect.gen(function* () {
    const projects = yield* Projects.Projects
    const manager = yield* newManager
    const draft = yield* as(manager, projects.create({ name: "Festival" }))
    assert.deepStrictEqual([draft.status, draft.version, draft.deletedAt], ["DRAFT", 1, null])
    const running = yield* as(manager, projects.update(draft.id, 1, { status: "ACTIVE" }))
    const over = yield* as(manager, projects.update(draft.id, 2, { status: "ARCHIVED" }))
    const reopened = yield* as(manager, projects.update(draft.id, 3, { status: "ACTIVE" }))
    assert.deepStrictEqual(
      [running.status, over.status, reopened.status, reopened.version],
      ["ACTIVE", "ARCHIVED", "ACTIVE", 4]
    )
    const back = yield* Effect.flip(as(manager, projects.update(draft.id, 4, { status: "DRAFT" })))
    assert.strictEqual(back._tag, "InvalidTransition")
    assert.deepStrictEqual(back._tag === "InvalidTransition" ? back.allowed : [], ["ARCHIVED"])
    assert.deepStrictEqual(yield* auditedOf(manager.orgId), [
      "project.CREATE",
      "project.STATUS_CHANGE",
      "project.STATUS_CHANGE",
      "project.STATUS_CHANGE"
    ])
    assert.deepStrictEqual(yield* newTopicsOf(manager.orgId), [
      "project.created",
      "project.status_changed",
      "project.status_changed",
      "project.status_changed"
    ])
  }))

test("a project's end must come after its start, on creation and when one date is changed", () =>
  Effect.gen(function* () {
    const projects = yield* Projects.Projects
    const manager = yield* newManager
    const backwards = yield* Effect.flip(
      as(manager, projects.create({ name: "Shoot", startsAt: at(10), endsAt: at(10) }))
    )
    assert.strictEqual(backwards._tag, "ValidationFailed")
    assert.deepStrictEqual(backwards._tag === "ValidationFailed" ? backwards.errors[0]?.path : [], [
      "body",
      "endsAt"
    ])
    const shoot = yield* as(manager, projects.create({ name: "Shoot", startsAt: at(10), endsAt: at(20) }))
    // The start kept from the record counts: an end moved before it is refused.
    const early = yield* Effect.flip(as(manager, projects.update(shoot.id, 1, { endsAt: at(5) })))
    assert.strictEqual(early._tag, "ValidationFailed")
    const open = yield* as(manager, projects.update(shoot.id, 1, { endsAt: null }))
    assert.deepStrictEqual([open.endsAt, open.version], [null, 2])
    assert.deepStrictEqual(yield* auditedOf(manager.orgId), ["project.CREATE", "project.UPDATE"])
  }))

test("a project's dates cannot narrow past its live missions, each one named under the date it breaks", () =>
  Effect.gen(function* () {
    const projects = yield* Projects.Projects
    const manager = yield* newManager
    const shoot = yield* as(manager, projects.create({ name: "Shoot", startsAt: at(0), endsAt: at(48) }))
    const early = yield* mission(manager.orgId, shoot.id, { title: "Early", start: 0, end: 4 })
    const late = yield* mission(manager.orgId, shoot.id, { title: "Late", start: 40, end: 48 })
    yield* mission(manager.orgId, shoot.id, { title: "Middle", start: 10, end: 20 })
    const narrowed = yield* Effect.flip(
      as(manager, projects.update(shoot.id, 1, { startsAt: at(2), endsAt: at(44) }))
    )
    const issues = narrowed._tag === "ValidationFailed" ? narrowed.errors : []
    assert.deepStrictEqual(
      issues.map((issue) => issue.path),
      [
        ["body", "startsAt"],
        ["body", "endsAt"]
      ]
    )
    assert.include(issues[0]?.message, early.id)
    assert.include(issues[1]?.message, late.id)
    // Only the live missions hold the dates: once the early one is deleted, the start may move.
    yield* Effect.orDie((yield* MissionRepo).softDelete(manager.orgId, early.id, 1, at(50)))
    const moved = yield* as(manager, projects.update(shoot.id, 1, { startsAt: at(4) }))
    assert.deepStrictEqual([moved.version, moved.startsAt], [2, at(4)])
    const wider = yield* as(manager, projects.update(shoot.id, 2, { endsAt: null }))
    assert.strictEqual(wider.endsAt, null)
    assert.deepStrictEqual(yield* auditedOf(manager.orgId), [
      "project.CREATE",
      "project.UPDATE",
      "project.UPDATE"
    ])
  }))

test("a change names the version it was based on: a stale one or none is refused, nothing changes", () =>
  Effect.gen(function* () {
    const projects = yield* Projects.Projects
    const manager = yield* newManager
    const created = yield* as(manager, projects.create({ name: "Build" }))
    yield* as(manager, projects.update(created.id, 1, { name: "Site build" }))
    const stale = yield* Effect.flip(as(manager, projects.update(created.id, 1, { name: "Late" })))
    assert.strictEqual(stale._tag, "PreconditionFailed")
    const unnamed = yield* Effect.flip(as(manager, projects.update(created.id, missing, { name: "Blind" })))
    assert.strictEqual(unnamed._tag, "PreconditionRequired")
    const staleRemove = yield* Effect.flip(as(manager, projects.remove(created.id, 1)))
    assert.strictEqual(staleRemove._tag, "PreconditionFailed")
    const current = yield* as(manager, projects.get(created.id))
    assert.deepStrictEqual([current.name, current.version, current.deletedAt], ["Site build", 2, null])
  }))

test("technicians read projects but may not write them, members may not read them, other orgs find none", () =>
  Effect.gen(function* () {
    const projects = yield* Projects.Projects
    const manager = yield* newManager
    const created = yield* as(manager, projects.create({ name: "Festival" }))
    const technician = yield* actorIn(manager.orgId, "technician")
    assert.strictEqual((yield* as(technician, projects.get(created.id))).name, "Festival")
    const write = yield* Effect.flip(as(technician, projects.create({ name: "Mine" })))
    assert.deepStrictEqual(
      [write._tag, write._tag === "Forbidden" ? write.permission : ""],
      ["Forbidden", "crew.write"]
    )
    const remove = yield* Effect.flip(as(technician, projects.remove(created.id, 1)))
    assert.strictEqual(remove._tag, "Forbidden")
    const member = yield* actorIn(manager.orgId, "member")
    assert.strictEqual((yield* Effect.flip(as(member, projects.get(created.id))))._tag, "Forbidden")
    const stranger = yield* newManager
    assert.strictEqual((yield* Effect.flip(as(stranger, projects.get(created.id))))._tag, "NotFound")
    const foreign = yield* Effect.flip(as(stranger, projects.update(created.id, 1, { name: "Taken" })))
    assert.strictEqual(foreign._tag, "NotFound")
    assert.strictEqual((yield* as(stranger, projects.list({ limit: 10, filters: {} }))).items.length, 0)
    assert.deepStrictEqual(yield* auditedOf(manager.orgId), ["project.CREATE"])
  }))

test("a removed project leaves the list, is seen again only by managers who ask, and comes back on restore", () =>
  Effect.gen(function* () {
    const projects = yield* Projects.Projects
    const manager = yield* newManager
    const created = yield* as(manager, projects.create({ name: "Festival" }))
    yield* as(manager, projects.remove(created.id, 1))
    assert.strictEqual((yield* as(manager, projects.list({ limit: 10, filters: {} }))).items.length, 0)
    assert.strictEqual((yield* Effect.flip(as(manager, projects.get(created.id))))._tag, "NotFound")
    const hidden = yield* as(manager, projects.get(created.id, { includeDeleted: true }))
    assert.deepStrictEqual([hidden.deletedAt !== null, hidden.version], [true, 2])
    const technician = yield* actorIn(manager.orgId, "technician")
    const peek = yield* Effect.flip(as(technician, projects.get(created.id, { includeDeleted: true })))
    assert.strictEqual(peek._tag, "Forbidden")
    const edit = yield* Effect.flip(as(manager, projects.update(created.id, 2, { name: "Ghost" })))
    assert.strictEqual(edit._tag, "NotFound")
    const restored = yield* as(manager, projects.restore(created.id, 2))
    assert.deepStrictEqual([restored.deletedAt, restored.version], [null, 3])
    assert.deepStrictEqual(yield* auditedOf(manager.orgId), [
      "project.CREATE",
      "project.SOFT_DELETE",
      "project.RESTORE"
    ])
    assert.deepStrictEqual(yield* newTopicsOf(manager.orgId), [
      "project.created",
      "project.deleted",
      "project.restored"
    ])
  }))

test("deleting a project deletes its live missions with it, freeing their people, each write audited", () =>
  Effect.gen(function* () {
    const projects = yield* Projects.Projects
    const missions = yield* Missions.Missions
    const assignments = yield* Assignments.Assignments
    const { orgId, people } = yield* crew(2)
    const [ann, bob] = people.map((accountId) => new Actor({ orgId, accountId, role: "technician" })) as [
      Actor,
      Actor
    ]
    const manager = yield* actorIn(orgId, "manager")
    const festival = yield* as(manager, projects.create({ name: "Festival" }))
    const stage = yield* as(manager, missions.create(festival.id, slot("Stage", 0, 4)))
    const bar = yield* as(manager, missions.create(festival.id, slot("Bar", 2, 6)))
    const gone = yield* as(manager, missions.create(festival.id, slot("Gone", 8, 9)))
    yield* as(manager, missions.remove(gone.id, 1))
    const annAt = yield* as(manager, assignments.invite({ missionId: stage.id, accountId: ann.accountId }))
    yield* as(ann, assignments.setStatus(annAt.assignment.id, 1, "ACCEPTED"))
    const bobAt = yield* as(manager, assignments.invite({ missionId: bar.id, accountId: bob.accountId }))
    assert.strictEqual(yield* heldBy(orgId, ann.accountId), 1)
    const before = (yield* auditedOf(orgId)).length

    yield* as(manager, projects.remove(festival.id, 1))
    const listed = yield* as(manager, missions.list({ limit: 10, filters: { projectId: festival.id } }))
    assert.deepStrictEqual(listed.items, [])
    const all = yield* as(
      manager,
      missions.list({ limit: 10, includeDeleted: true, filters: { projectId: festival.id } })
    )
    assert.deepStrictEqual(
      all.items.map((mission) => [mission.title, mission.version, mission.deletedAt !== null]),
      [
        ["Stage", 2, true],
        ["Bar", 2, true],
        ["Gone", 2, true]
      ]
    )
    const statuses = yield* Effect.forEach([annAt, bobAt], ({ assignment }) =>
      Effect.map(as(manager, assignments.get(assignment.id)), (after) => after.status)
    )
    assert.deepStrictEqual(statuses, ["CANCELLED", "CANCELLED"])
    assert.strictEqual(yield* heldBy(orgId, ann.accountId), 0, "Ann's time is hers again")
    assert.deepStrictEqual((yield* auditedOf(orgId)).slice(before).sort(), [
      "assignment.STATUS_CHANGE",
      "assignment.STATUS_CHANGE",
      "mission.SOFT_DELETE",
      "mission.SOFT_DELETE",
      "project.SOFT_DELETE"
    ])

    // Restoring the project brings none of its missions back; each comes back on its own.
    const restored = yield* as(manager, projects.restore(festival.id, 2))
    assert.strictEqual(restored.deletedAt, null)
    const empty = yield* as(manager, missions.list({ limit: 10, filters: { projectId: festival.id } }))
    assert.deepStrictEqual(empty.items, [])
    const back = yield* as(manager, missions.restore(stage.id, 2))
    assert.deepStrictEqual([back.deletedAt, back.version], [null, 3])
    const again = yield* as(manager, assignments.get(annAt.assignment.id))
    assert.strictEqual(again.status, "CANCELLED", "its people are not invited again")
  }))

test("a project holding more than a page of missions is deleted with every one of them", () =>
  Effect.gen(function* () {
    const projects = yield* Projects.Projects
    const missions = yield* Missions.Missions
    const manager = yield* newManager
    const big = yield* as(manager, projects.create({ name: "Big" }))
    const many = Array.from({ length: 205 }, (_, n) => slot(`Shift ${n}`, n % 24, (n % 24) + 1))
    yield* as(manager, missions.createMany(big.id, many))
    yield* as(manager, projects.remove(big.id, 1))
    const left = yield* as(manager, missions.list({ limit: 10, filters: { projectId: big.id } }))
    assert.deepStrictEqual(left.items, [])
    const audited = yield* auditedOf(manager.orgId)
    assert.strictEqual(audited.filter((action) => action === "mission.SOFT_DELETE").length, 205)
  }))

test("an archived project holding live missions is not deleted, nor are they, until it is reopened", () =>
  Effect.gen(function* () {
    const projects = yield* Projects.Projects
    const missions = yield* Missions.Missions
    const manager = yield* newManager
    const over = yield* as(manager, projects.create({ name: "Over", status: "ACTIVE" }))
    const stage = yield* as(manager, missions.create(over.id, slot("Stage", 0, 4)))
    yield* as(manager, projects.update(over.id, 1, { status: "ARCHIVED" }))
    const refused = yield* Effect.flip(as(manager, projects.remove(over.id, 2)))
    assert.deepStrictEqual(
      refused._tag === "ProjectClosed" ? [refused.projectId, refused.reason] : [refused._tag],
      [over.id, "ARCHIVED"]
    )
    const kept = yield* as(manager, projects.get(over.id))
    assert.deepStrictEqual([kept.deletedAt, kept.version], [null, 2])
    assert.strictEqual((yield* as(manager, missions.get(stage.id))).version, 1)

    // Nothing of the record to keep: an archived project without live missions is deleted.
    const empty = yield* as(manager, projects.create({ name: "Empty", status: "ARCHIVED" }))
    yield* as(manager, projects.remove(empty.id, 1))
    yield* as(manager, projects.update(over.id, 2, { status: "ACTIVE" }))
    yield* as(manager, projects.remove(over.id, 3))
    const deleted = yield* as(manager, missions.get(stage.id, { includeDeleted: true }))
    assert.notStrictEqual(deleted.deletedAt, null)
    assert.deepStrictEqual(yield* auditedOf(manager.orgId), [
      "project.CREATE",
      "mission.CREATE",
      "project.STATUS_CHANGE",
      "project.CREATE",
      "project.SOFT_DELETE",
      "project.STATUS_CHANGE",
      "project.SOFT_DELETE",
      "mission.SOFT_DELETE"
    ])
  }))

test("managers see what the accepted work costs at each person's rate; technicians see no estimate", () =>
  Effect.gen(function* () {
    const projects = yield* Projects.Projects
    const rates = yield* RateProfileRepo
    const { orgId, people } = yield* crew(3)
    const [ann, bob, cy] = people as [AccountId, AccountId, AccountId]
    const manager = yield* actorIn(orgId, "manager")
    const festival = yield* as(manager, projects.create({ name: "Festival" }))
    const stage = yield* mission(orgId, festival.id, { title: "Stage", start: 0, end: 2 })
    const bar = yield* mission(orgId, festival.id, { title: "Bar", start: 0, end: 30 })
    yield* Effect.orDie(assignment(orgId, stage.id, ann, "ACCEPTED"))
    yield* Effect.orDie(assignment(orgId, bar.id, bob, "ACCEPTED"))
    yield* Effect.orDie(assignment(orgId, bar.id, cy, "ACCEPTED"))
    // Invited, not accepted: it costs nothing yet.
    yield* Effect.orDie(assignment(orgId, stage.id, bob, "INVITED"))
    yield* rates.put(new RateProfile({ accountId: ann, orgId, currency: "EUR", hourly: 2500, daily: null }))
    yield* rates.put(new RateProfile({ accountId: bob, orgId, currency: "EUR", hourly: null, daily: 10000 }))
    const detail = yield* as(manager, projects.detail(festival.id))
    // Ann: 2 h at 25.00; Bob: 30 h is two started days at 100.00; Cy has no rate.
    assert.deepStrictEqual(detail.estimatedCost, {
      totals: [{ amount: 5000 + 20000, currency: "EUR" }],
      minutes: 120 + 30 * 60 * 2,
      unpriced: 1
    })
    const technician = new Actor({ orgId, accountId: ann, role: "technician" })
    const seen = yield* as(technician, projects.detail(festival.id))
    assert.deepStrictEqual([seen.project.id, seen.estimatedCost], [festival.id, null])
  }))
