import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import * as Assignments from "../../src/crews/Assignments.ts"
import { ProjectRepo } from "../../src/crews/CrewRepos.ts"
import type { MissionId } from "../../src/crews/Mission.ts"
import { AccountId, Ids, nextId, type OrgId } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import { Ledger } from "../../src/ledger/Ledger.ts"
import { at, crew, mission, project, window } from "../../src/testing/CrewFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { signer } from "../support/IdentityPorts.ts"
import { as, auditedOf } from "../support/UseCases.ts"

// The assignments use case on the memory adapters: its rules in milliseconds, no database.
const memory = Assignments.layer.pipe(
  Layer.provideMerge(signer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer))
)

// An org with a manager and technicians, a project, and missions at the hours given.
const setting = (people: number, slots: ReadonlyArray<readonly [number, number]>) =>
  Effect.gen(function* () {
    const { orgId, people: ids } = yield* crew(people)
    const manager = new Actor({ orgId, accountId: yield* nextId(AccountId), role: "manager" })
    const crewMembers = ids.map((accountId) => new Actor({ orgId, accountId, role: "technician" }))
    const festival = yield* project(orgId, "Festival")
    const missions: Array<MissionId> = []
    for (const [start, end] of slots)
      missions.push((yield* mission(orgId, festival.id, { title: `Slot ${start}`, start, end })).id)
    return { orgId, manager, crew: crewMembers, projectId: festival.id, missions }
  })

// How many claims on the person's time the ledger holds.
const heldBy = (orgId: OrgId, person: Actor) =>
  Effect.flatMap(Effect.service(Ledger), (ledger) =>
    Effect.map(
      ledger.activeFor(orgId, [{ type: "person", id: person.accountId }], {
        startAt: at(-100),
        endAt: at(100)
      }),
      (held) => held.length
    )
  )

// What a refusal says: the project's reason when it is closed, else the error's tag.
const why = (error: { readonly _tag: string; readonly reason?: string }) =>
  error._tag === "ProjectClosed" ? error.reason : error._tag

// One mission of a project and three of the crew: Ann invited and accepted, Bob invited, Cy not.
const crewOfOneMission = Effect.gen(function* () {
  const assignments = yield* Assignments.Assignments
  const { orgId, manager, crew: people, projectId, missions } = yield* setting(3, [[0, 4]])
  const [ann, bob, cy] = people as [Actor, Actor, Actor]
  const missionId = missions[0]!
  const invite = (person: Actor) =>
    as(manager, assignments.invite({ missionId, accountId: person.accountId }))
  const annAt = yield* invite(ann)
  yield* as(ann, assignments.setStatus(annAt.assignment.id, 1, "ACCEPTED"))
  const bobAt = yield* invite(bob)
  return { orgId, manager, projectId, ann, bob, cy, invite, annAt, bobAt }
})

layer(memory, { excludeTestServices: true })("Assignments on memory storage", (it) => {
  it.effect(
    "a person is invited once per mission, and accepts; a second overlapping mission is refused",
    () =>
      Effect.gen(function* () {
        const assignments = yield* Assignments.Assignments
        const {
          manager,
          crew: people,
          missions
        } = yield* setting(1, [
          [0, 4],
          [2, 6],
          [4, 8]
        ])
        const [ann] = people as [Actor]
        const [first, overlapping, adjacent] = missions as [MissionId, MissionId, MissionId]
        const invite = (missionId: MissionId) =>
          as(manager, assignments.invite({ missionId, accountId: ann.accountId }))
        const invited = yield* invite(first)
        assert.strictEqual(invited.assignment.status, "INVITED")
        assert.strictEqual((yield* Effect.flip(invite(first)))._tag, "AlreadyExists")
        const accepted = yield* as(ann, assignments.setStatus(invited.assignment.id, 1, "ACCEPTED"))
        assert.strictEqual(accepted.status, "ACCEPTED")
        const clash = yield* invite(overlapping)
        const refused = yield* Effect.flip(as(ann, assignments.setStatus(clash.assignment.id, 1, "ACCEPTED")))
        assert.strictEqual(refused._tag, "Conflict")
        // Intervals are half-open: a mission starting when the first ends fits.
        const next = yield* invite(adjacent)
        assert.strictEqual(
          (yield* as(ann, assignments.setStatus(next.assignment.id, 1, "ACCEPTED"))).status,
          "ACCEPTED"
        )
      })
  )

  it.effect("an approved unavailability blocks accepting, and a full mission takes nobody else", () =>
    Effect.gen(function* () {
      const assignments = yield* Assignments.Assignments
      const { orgId, manager, crew: people, missions } = yield* setting(4, [[10, 12]])
      const missionId = missions[0]!
      const invited: Array<Assignments.Invited> = []
      for (const person of people)
        invited.push(yield* as(manager, assignments.invite({ missionId, accountId: person.accountId })))
      const answer = (n: number, version = 1) =>
        as(people[n]!, assignments.setStatus(invited[n]!.assignment.id, version, "ACCEPTED"))
      yield* window(orgId, people[0]!.accountId, {
        kind: "UNAVAILABLE",
        status: "APPROVED",
        start: 11,
        end: 20
      })
      yield* window(orgId, people[1]!.accountId, {
        kind: "UNAVAILABLE",
        status: "PENDING",
        start: 11,
        end: 20
      })
      assert.strictEqual((yield* Effect.flip(answer(0)))._tag, "Conflict", "away, approved")
      // The fixture's missions need two people: a pending window does not block the second.
      yield* answer(1)
      yield* answer(2)
      assert.strictEqual((yield* Effect.flip(answer(3)))._tag, "MissionFull")
      const cancelled = yield* as(manager, assignments.cancel(invited[2]!.assignment.id, 2))
      assert.strictEqual(cancelled.status, "CANCELLED")
      assert.strictEqual((yield* answer(3)).status, "ACCEPTED", "a place freed by a cancellation")
    })
  )

  it.effect("the invitation link answers for the person, once; another person's assignment is refused", () =>
    Effect.gen(function* () {
      const assignments = yield* Assignments.Assignments
      const { manager, crew: people, missions } = yield* setting(2, [[0, 4]])
      const [ann, bob] = people as [Actor, Actor]
      const invited = yield* as(
        manager,
        assignments.invite({ missionId: missions[0]!, accountId: ann.accountId })
      )
      const forbidden = yield* Effect.flip(
        as(bob, assignments.setStatus(invited.assignment.id, 1, "ACCEPTED"))
      )
      assert.strictEqual(forbidden._tag, "NotFound")
      const declined = yield* assignments.respond(invited.token, "DECLINED")
      assert.deepStrictEqual([declined.status, declined.respondedAt !== null], ["DECLINED", true])
      const again = yield* Effect.flip(assignments.respond(invited.token, "ACCEPTED"))
      assert.strictEqual(again._tag, "TokenUsed")
      assert.strictEqual((yield* Effect.flip(assignments.respond("forged", "ACCEPTED")))._tag, "TokenInvalid")
    })
  )

  it.effect(
    "nobody is invited to, accepts, withdraws from or is cancelled from an archived project's mission until it reopens",
    () =>
      Effect.gen(function* () {
        const assignments = yield* Assignments.Assignments
        const projects = yield* ProjectRepo
        const { orgId, manager, projectId, ann, bob, cy, invite, annAt, bobAt } = yield* crewOfOneMission
        yield* Effect.orDie(projects.update(orgId, projectId, undefined, { status: "ARCHIVED" }))
        const before = yield* auditedOf(orgId)

        const refusals = yield* Effect.all([
          Effect.flip(invite(cy)),
          Effect.flip(as(bob, assignments.setStatus(bobAt.assignment.id, 1, "ACCEPTED"))),
          Effect.flip(assignments.respond(bobAt.token, "DECLINED")),
          Effect.flip(as(ann, assignments.setStatus(annAt.assignment.id, 2, "DECLINED"))),
          Effect.flip(as(manager, assignments.cancel(annAt.assignment.id, 2)))
        ])
        assert.deepStrictEqual(
          refusals.map(why),
          Array.from({ length: 5 }, () => "ARCHIVED")
        )
        const annNow = yield* as(manager, assignments.get(annAt.assignment.id))
        const bobNow = yield* as(manager, assignments.get(bobAt.assignment.id))
        assert.deepStrictEqual(
          [annNow.status, annNow.version, bobNow.status, bobNow.version],
          ["ACCEPTED", 2, "INVITED", 1]
        )
        assert.strictEqual(yield* heldBy(orgId, ann), 1, "the record of Ann's work keeps her time")
        assert.deepStrictEqual(yield* auditedOf(orgId), before)

        yield* Effect.orDie(projects.update(orgId, projectId, undefined, { status: "ACTIVE" }))
        const withdrawn = yield* as(ann, assignments.setStatus(annAt.assignment.id, 2, "DECLINED"))
        assert.strictEqual(withdrawn.status, "DECLINED")
        assert.strictEqual(yield* heldBy(orgId, ann), 0)
        assert.strictEqual((yield* assignments.respond(bobAt.token, "ACCEPTED")).status, "ACCEPTED")
      })
  )

  it.effect("a deleted project's missions take nobody (404) but still let their people go", () =>
    Effect.gen(function* () {
      const assignments = yield* Assignments.Assignments
      const projects = yield* ProjectRepo
      const { orgId, manager, projectId, ann, bob, cy, invite, annAt, bobAt } = yield* crewOfOneMission
      // The project row deleted alone, as no use case leaves it: its mission is still live.
      yield* Effect.orDie(projects.softDelete(orgId, projectId, undefined, DateTime.nowUnsafe()))

      const invited = yield* Effect.flip(invite(cy))
      const accepted = yield* Effect.flip(as(bob, assignments.setStatus(bobAt.assignment.id, 1, "ACCEPTED")))
      for (const refused of [invited, accepted]) {
        assert.deepStrictEqual(
          [refused._tag, refused._tag === "NotFound" ? [refused.entity, refused.id] : []],
          ["NotFound", ["project", projectId]]
        )
      }
      assert.strictEqual((yield* assignments.respond(bobAt.token, "DECLINED")).status, "DECLINED")
      assert.strictEqual((yield* as(manager, assignments.cancel(annAt.assignment.id, 2))).status, "CANCELLED")
      assert.strictEqual(yield* heldBy(orgId, ann), 0)
    })
  )
})
