import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { at, createMission, createProject, invite, type Record } from "./fixtures/Crews.ts"
import { type Answer, addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

// A project holds its missions: what the server refuses so that no mission is left in a project
// that is over, gone, or whose dates no longer cover it, and no crew changes in one that is over.

type Org = { readonly token: string; readonly orgId: string }
type Problem = {
  readonly code: string
  readonly projectId?: string
  readonly reason?: string
  readonly errors?: ReadonlyArray<{ readonly path: ReadonlyArray<unknown>; readonly message: string }>
}

const as = (org: Org, headers: globalThis.Record<string, string> = {}) => ({
  token: org.token,
  orgId: org.orgId,
  headers
})

const problemOf = (answer: Answer) => body<Problem>(answer)

const patch = (org: Org, path: string, version: number, changes: object) =>
  call("PATCH", path, { ...as(org, { "if-match": `"${version}"` }), body: changes })

const answerAs = (person: Org, assignmentId: string, status: "ACCEPTED" | "DECLINED") =>
  call("POST", `/v1/assignments/${assignmentId}/status`, { ...as(person), body: { status } })

const respond = (token: string, decision: "ACCEPTED" | "DECLINED") =>
  call("POST", "/v1/assignments/respond", { body: { token, decision } })

const items = (org: Org, path: string) =>
  Effect.map(call("GET", path, as(org)), (answer) => {
    assert.strictEqual(answer.status, 200, answer.text)
    return body<{ items: ReadonlyArray<Record> }>(answer).items
  })

// The entity's audit actions, oldest first.
const eventsOf = (org: Org, entityId: string) =>
  Effect.map(items(org, `/v1/audit?entityId=${entityId}&limit=100`), (events) =>
    events.map((event) => event.action).reverse()
  )

const closedBy = (answer: Answer) => [answer.status, problemOf(answer).code, problemOf(answer).reason]

const shift = (title: string, start: number, end: number) => ({
  title,
  role: "steward",
  startAt: at(start),
  endAt: at(end),
  headcount: 2
})

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })(
      "projects",
      (it) => {
        it.effect("a mission is not restored while its project is deleted: 409 project_closed", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const project = yield* createProject(owner)
            const mission = yield* createMission(owner, { projectId: project.id })
            assert.strictEqual((yield* call("DELETE", `/v1/missions/${mission.id}`, as(owner))).status, 204)
            assert.strictEqual((yield* call("DELETE", `/v1/projects/${project.id}`, as(owner))).status, 204)
            const refused = yield* call("POST", `/v1/missions/${mission.id}/restore`, as(owner))
            assert.strictEqual(refused.status, 409, refused.text)
            assert.deepStrictEqual(
              [problemOf(refused).code, problemOf(refused).projectId, problemOf(refused).reason],
              ["project_closed", project.id, "DELETED"]
            )
            const hidden = yield* call("GET", `/v1/missions/${mission.id}?includeDeleted=true`, as(owner))
            assert.notStrictEqual(body<Record>(hidden).deletedAt, null)

            assert.strictEqual(
              (yield* call("POST", `/v1/projects/${project.id}/restore`, as(owner))).status,
              200
            )
            const restored = yield* call("POST", `/v1/missions/${mission.id}/restore`, as(owner))
            assert.strictEqual(restored.status, 200, restored.text)
            assert.deepStrictEqual(
              [body<Record>(restored).deletedAt, body<Record>(restored).version],
              [null, 3]
            )
          })
        )

        it.effect("an archived project refuses new, changed and deleted missions until it is reopened", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const project = yield* createProject(owner, { status: "ACTIVE" })
            const mission = yield* createMission(owner, { projectId: project.id })
            const archived = yield* patch(owner, `/v1/projects/${project.id}`, 1, { status: "ARCHIVED" })
            assert.strictEqual(archived.status, 200, archived.text)

            const writes = [
              call("POST", "/v1/missions", {
                ...as(owner),
                body: { projectId: project.id, ...shift("Late", 8, 10) }
              }),
              call("POST", `/v1/projects/${project.id}/missions/bulk`, {
                ...as(owner),
                body: { missions: [shift("Load out", 10, 12)] }
              }),
              call("POST", `/v1/missions/${mission.id}/duplicate`, {
                ...as(owner),
                body: { startAt: at(20) }
              }),
              patch(owner, `/v1/missions/${mission.id}`, 1, { startAt: at(1), endAt: at(5) }),
              call("DELETE", `/v1/missions/${mission.id}`, as(owner, { "if-match": '"1"' }))
            ]
            for (const write of writes) {
              const refused = yield* write
              assert.deepStrictEqual(
                [refused.status, problemOf(refused).code, problemOf(refused).reason],
                [409, "project_closed", "ARCHIVED"],
                refused.text
              )
            }
            const listed = yield* call("GET", `/v1/missions?projectId=${project.id}`, as(owner))
            assert.deepStrictEqual(
              body<{ items: ReadonlyArray<Record> }>(listed).items.map((m) => [m.id, m.version, m.startAt]),
              [[mission.id, 1, at(0)]]
            )

            assert.strictEqual(
              (yield* patch(owner, `/v1/projects/${project.id}`, 2, { status: "ACTIVE" })).status,
              200
            )
            const moved = yield* patch(owner, `/v1/missions/${mission.id}`, 1, {
              startAt: at(1),
              endAt: at(5)
            })
            assert.strictEqual(moved.status, 200, moved.text)
          })
        )

        it.effect("a project's dates do not narrow past its missions: 400 naming each one left outside", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const project = yield* createProject(owner, { startsAt: at(0), endsAt: at(48) })
            const early = yield* createMission(owner, { projectId: project.id, start: 0, end: 4 })
            const late = yield* createMission(owner, { projectId: project.id, start: 40, end: 48 })
            yield* createMission(owner, { projectId: project.id, start: 10, end: 20 })
            const refused = yield* patch(owner, `/v1/projects/${project.id}`, 1, {
              startsAt: at(2),
              endsAt: at(44)
            })
            assert.deepStrictEqual([refused.status, problemOf(refused).code], [400, "validation_failed"])
            const issues = problemOf(refused).errors ?? []
            assert.deepStrictEqual(
              issues.map((issue) => issue.path),
              [
                ["body", "startsAt"],
                ["body", "endsAt"]
              ]
            )
            assert.include(issues[0]?.message, early.id)
            assert.include(issues[1]?.message, late.id)
            const kept = yield* call("GET", `/v1/projects/${project.id}`, as(owner))
            assert.deepStrictEqual([body<Record>(kept).startsAt, body<Record>(kept).version], [at(0), 1])

            // Narrowing up to the missions is allowed.
            const fitted = yield* patch(owner, `/v1/projects/${project.id}`, 1, {
              endsAt: at(48),
              startsAt: at(0)
            })
            assert.strictEqual(fitted.status, 200, fitted.text)
          })
        )

        it.effect(
          "an archived project's crew stays as it is: invites, answers and cancels are 409 until it reopens",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const [ann, bob, cy] = yield* Effect.all([
                addMember(owner, "technician"),
                addMember(owner, "technician"),
                addMember(owner, "technician")
              ])
              const project = yield* createProject(owner, { status: "ACTIVE" })
              const mission = yield* createMission(owner, { projectId: project.id })
              const annAt = yield* invite(owner, mission.id, ann.accountId)
              assert.strictEqual((yield* answerAs(ann, annAt.id, "ACCEPTED")).status, 200)
              const bobAt = yield* invite(owner, mission.id, bob.accountId)
              const archived = yield* patch(owner, `/v1/projects/${project.id}`, 1, { status: "ARCHIVED" })
              assert.strictEqual(archived.status, 200, archived.text)

              const refusals = [
                call("POST", "/v1/assignments", {
                  ...as(owner),
                  body: { missionId: mission.id, accountId: cy.accountId }
                }),
                answerAs(bob, bobAt.id, "ACCEPTED"),
                respond(bobAt.invitationToken, "DECLINED"),
                answerAs(ann, annAt.id, "DECLINED"),
                call("DELETE", `/v1/assignments/${annAt.id}`, as(owner)),
                // Deleting the project would delete its missions, the record of that work.
                call("DELETE", `/v1/projects/${project.id}`, as(owner))
              ]
              for (const refusal of refusals) {
                const refused = yield* refusal
                assert.deepStrictEqual(closedBy(refused), [409, "project_closed", "ARCHIVED"], refused.text)
                assert.strictEqual(problemOf(refused).projectId, project.id)
              }
              const crew = yield* items(owner, `/v1/assignments?missionId=${mission.id}`)
              assert.deepStrictEqual(
                crew
                  .map((assignment) => [assignment.accountId, assignment.status, assignment.version])
                  .sort(),
                [
                  [ann.accountId, "ACCEPTED", 2],
                  [bob.accountId, "INVITED", 1]
                ].sort()
              )
              assert.deepStrictEqual(yield* eventsOf(owner, annAt.id), ["CREATE", "STATUS_CHANGE"])

              assert.strictEqual(
                (yield* patch(owner, `/v1/projects/${project.id}`, 2, { status: "ACTIVE" })).status,
                200
              )
              const withdrawn = yield* answerAs(ann, annAt.id, "DECLINED")
              assert.deepStrictEqual([withdrawn.status, body<Record>(withdrawn).status], [200, "DECLINED"])
              const accepted = yield* respond(bobAt.invitationToken, "ACCEPTED")
              assert.deepStrictEqual([accepted.status, body<Record>(accepted).status], [200, "ACCEPTED"])
            })
        )

        it.effect(
          "deleting a project deletes its missions with it, freeing their crew; restoring it brings none back",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const [ann, bob] = yield* Effect.all([
                addMember(owner, "technician"),
                addMember(owner, "technician")
              ])
              const project = yield* createProject(owner)
              const stage = yield* createMission(owner, { projectId: project.id, start: 0, end: 4 })
              const bar = yield* createMission(owner, { projectId: project.id, start: 2, end: 6 })
              const annAt = yield* invite(owner, stage.id, ann.accountId)
              assert.strictEqual((yield* answerAs(ann, annAt.id, "ACCEPTED")).status, 200)
              const bobAt = yield* invite(owner, bar.id, bob.accountId)
              const elsewhere = yield* createMission(owner, { start: 1, end: 3 })

              const deleted = yield* call("DELETE", `/v1/projects/${project.id}`, as(owner))
              assert.strictEqual(deleted.status, 204, deleted.text)
              assert.deepStrictEqual(yield* items(owner, `/v1/missions?projectId=${project.id}`), [])
              const listed = yield* items(owner, "/v1/missions?limit=100")
              assert.deepStrictEqual(
                listed.map((mission) => mission.id),
                [elsewhere.id]
              )
              for (const { id } of [annAt, bobAt]) {
                const now = yield* call("GET", `/v1/assignments/${id}`, as(owner))
                assert.strictEqual(body<Record>(now).status, "CANCELLED")
              }
              assert.deepStrictEqual(yield* eventsOf(owner, stage.id), ["CREATE", "SOFT_DELETE"])
              assert.deepStrictEqual(yield* eventsOf(owner, annAt.id), [
                "CREATE",
                "STATUS_CHANGE",
                "STATUS_CHANGE"
              ])
              // Ann's hours are hers again: she takes overlapping work in another project.
              const other = yield* invite(owner, elsewhere.id, ann.accountId)
              assert.strictEqual((yield* answerAs(ann, other.id, "ACCEPTED")).status, 200)
              const gone = yield* call("POST", "/v1/assignments", {
                ...as(owner),
                body: { missionId: stage.id, accountId: bob.accountId }
              })
              assert.strictEqual(gone.status, 404, gone.text)

              const restored = yield* call("POST", `/v1/projects/${project.id}/restore`, as(owner))
              assert.strictEqual(restored.status, 200, restored.text)
              assert.deepStrictEqual(yield* items(owner, `/v1/missions?projectId=${project.id}`), [])
              const back = yield* call("POST", `/v1/missions/${bar.id}/restore`, as(owner))
              assert.deepStrictEqual([back.status, body<Record>(back).version], [200, 3], back.text)
              assert.deepStrictEqual(
                (yield* items(owner, `/v1/missions?projectId=${project.id}`)).map((mission) => mission.id),
                [bar.id]
              )
            })
        )

        it.effect(
          "deleting a project races a mission created and an assignment accepted in it: none survives",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const tech = yield* addMember(owner, "technician")
              for (let round = 0; round < 4; round++) {
                const project = yield* createProject(owner)
                const mission = yield* createMission(owner, { projectId: project.id, start: 0, end: 4 })
                const assignment = yield* invite(owner, mission.id, tech.accountId)
                const answers = yield* Effect.all(
                  [
                    call("DELETE", `/v1/projects/${project.id}`, as(owner)),
                    call("POST", "/v1/missions", {
                      ...as(owner),
                      body: { projectId: project.id, ...shift("Late", 8, 10) }
                    }),
                    answerAs(tech, assignment.id, "ACCEPTED")
                  ],
                  { concurrency: "unbounded" }
                )
                const [deleted, created, accepted] = answers
                assert.strictEqual(deleted!.status, 204, deleted!.text)
                // Each write either came first, and was then undone by the delete, or found nothing.
                assert.include([201, 404], created!.status, created!.text)
                assert.include([200, 404], accepted!.status, accepted!.text)
                assert.deepStrictEqual(yield* items(owner, `/v1/missions?projectId=${project.id}`), [])
                const after = yield* call("GET", `/v1/assignments/${assignment.id}`, as(owner))
                assert.strictEqual(body<Record>(after).status, "CANCELLED")
              }
              // The accepted time of every round was freed: the person is free at those hours.
              const free = yield* createMission(owner, { start: 0, end: 4 })
              const last = yield* invite(owner, free.id, tech.accountId)
              assert.strictEqual((yield* answerAs(tech, last.id, "ACCEPTED")).status, 200)
            })
        )

        it.effect(
          "narrowing a project's dates and writing a mission outside them race: one of the two wins",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              for (let round = 0; round < 4; round++) {
                const project = yield* createProject(owner, { startsAt: at(0), endsAt: at(48) })
                const other = yield* createMission(owner, { projectId: project.id, start: 20, end: 24 })
                // One round creates a mission in the hours the narrowing cuts off, the next moves one there.
                const write =
                  round % 2 === 0
                    ? call("POST", "/v1/missions", {
                        ...as(owner),
                        body: { projectId: project.id, ...shift("Early", 0, 4) }
                      })
                    : patch(owner, `/v1/missions/${other.id}`, 1, { startAt: at(0), endAt: at(4) })
                const answers = yield* Effect.all(
                  [write, patch(owner, `/v1/projects/${project.id}`, 1, { startsAt: at(10) })],
                  { concurrency: "unbounded" }
                )
                const won = answers.filter((answer) => answer.status === 200 || answer.status === 201)
                assert.strictEqual(won.length, 1, answers.map((answer) => answer.text).join(" | "))
                const lost = answers.find((answer) => answer.status !== 200 && answer.status !== 201)!
                assert.deepStrictEqual(
                  [lost.status, problemOf(lost).code],
                  [400, "validation_failed"],
                  lost.text
                )
              }
            })
        )
      }
    )
  })
}
