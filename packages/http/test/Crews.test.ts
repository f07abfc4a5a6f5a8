import { assert, describe, layer } from "@effect/vitest"
import { Ids, Ledger } from "@rota/core"
import { PgLedger } from "@rota/storage-pg"
import { DateTime, Effect } from "effect"
import { SqlClient } from "effect/sql"
import { Mailbox, TestServer } from "../src/testing.ts"
import {
  at,
  createAvailability,
  createMission,
  createProject,
  invite,
  type Record
} from "./fixtures/Crews.ts"
import { type Answer, addMember, body, call, invitationTokenFor, registerOwner } from "./fixtures/Http.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }
type Page = { readonly items: ReadonlyArray<Record>; readonly nextCursor: string | null }
type Problem = { readonly code: string; readonly conflicts?: ReadonlyArray<{ [field: string]: string }> }

const as = (org: Org, headers: globalThis.Record<string, string> = {}) => ({
  token: org.token,
  orgId: org.orgId,
  headers
})

const answerAs = (person: Org, assignmentId: string, status: "ACCEPTED" | "DECLINED") =>
  call("POST", `/v1/assignments/${assignmentId}/status`, { ...as(person), body: { status } })

const respond = (token: string, decision: "ACCEPTED" | "DECLINED") =>
  call("POST", "/v1/assignments/respond", { body: { token, decision } })

const codeOf = (answer: Answer) => body<Problem>(answer).code

const items = (org: Org, path: string) =>
  Effect.map(call("GET", path, as(org)), (answer) => {
    assert.strictEqual(answer.status, 200, answer.text)
    return body<Page>(answer).items
  })

const eventsOf = (org: Org, entityId: string) =>
  Effect.map(items(org, `/v1/audit?entityId=${entityId}&limit=100`), (events) =>
    events.map((event) => event.action).reverse()
  )

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })("crews", (it) => {
      it.effect("invite then accept and decline logged in: statuses, audit, outbox and re-invitation", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const manager = yield* addMember(owner, "manager")
          const tech = yield* addMember(owner, "technician")
          const mission = yield* createMission(manager)
          const invited = yield* invite(manager, mission.id, tech.accountId)
          assert.strictEqual(invited.status, "INVITED")
          assert.isAbove(invited.invitationToken.length, 20)

          const sql = yield* SqlClient.SqlClient
          const messages = yield* Effect.orDie(
            sql<{
              payload: { assignmentId: string; token?: string } | string
            }>`SELECT payload FROM outbox_messages
              WHERE topic = 'assignment.invited'`
          )
          const payloads = messages.map((row) =>
            typeof row.payload === "string" ? JSON.parse(row.payload) : row.payload
          )
          assert.isTrue(
            payloads.some((p) => p.assignmentId === invited.id && p.token === undefined),
            "the invitation went to the outbox, naming the assignment but not its link's token"
          )
          const [mail] = yield* Mailbox.mailTo(tech.email, "assignment.invited")
          assert.isAbove(mail!.token.length, 20, "the link reached the person's mailbox")

          // The person sees their own; a stranger's is hidden.
          const own = yield* items(tech, "/v1/assignments")
          assert.deepStrictEqual(
            own.map((a) => a.id),
            [invited.id]
          )
          const other = yield* addMember(owner, "technician")
          assert.strictEqual((yield* call("GET", `/v1/assignments/${invited.id}`, as(other))).status, 404)
          assert.strictEqual((yield* answerAs(other, invited.id, "ACCEPTED")).status, 404)
          // A manager sees it but cannot answer for the person.
          assert.strictEqual((yield* answerAs(manager, invited.id, "ACCEPTED")).status, 403)

          const accepted = yield* answerAs(tech, invited.id, "ACCEPTED")
          assert.strictEqual(accepted.status, 200, accepted.text)
          assert.strictEqual(body<Record>(accepted).status, "ACCEPTED")
          assert.strictEqual(accepted.headers.get("etag"), `"${invited.version + 1}"`)
          const again = yield* answerAs(tech, invited.id, "ACCEPTED")
          assert.deepStrictEqual([again.status, codeOf(again)], [409, "invalid_transition"])

          // A second open assignment of the same person to the same mission is refused.
          const duplicate = yield* call("POST", "/v1/assignments", {
            ...as(manager),
            body: { missionId: mission.id, accountId: tech.accountId }
          })
          assert.deepStrictEqual([duplicate.status, codeOf(duplicate)], [409, "already_exists"])

          const declined = yield* answerAs(tech, invited.id, "DECLINED")
          assert.strictEqual(body<Record>(declined).status, "DECLINED")
          assert.deepStrictEqual(yield* eventsOf(owner, invited.id), [
            "CREATE",
            "STATUS_CHANGE",
            "STATUS_CHANGE"
          ])

          // Declining freed the place and the time: a new invitation can be accepted.
          const reinvited = yield* invite(manager, mission.id, tech.accountId)
          assert.strictEqual((yield* answerAs(tech, reinvited.id, "ACCEPTED")).status, 200)
          const cancelled = yield* call("DELETE", `/v1/assignments/${reinvited.id}`, as(manager))
          assert.strictEqual(body<Record>(cancelled).status, "CANCELLED")
          assert.strictEqual((yield* call("DELETE", `/v1/assignments/${reinvited.id}`, as(tech))).status, 403)
        })
      )

      it.effect(
        "the invitation link answers without a login, once; tampered, foreign and expired links are refused",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const tech = yield* addMember(owner, "technician")
            const first = yield* invite(owner, (yield* createMission(owner)).id, tech.accountId)
            const second = yield* invite(
              owner,
              (yield* createMission(owner, { start: 10, end: 12 })).id,
              tech.accountId
            )

            const [head, payload, signature] = first.invitationToken.split(".") as [string, string, string]
            const flipped = `${signature.slice(0, -2)}${signature.endsWith("AA") ? "BB" : "AA"}`
            const tampered = yield* respond(`${head}.${payload}.${flipped}`, "ACCEPTED")
            assert.deepStrictEqual([tampered.status, codeOf(tampered)], [400, "token_invalid"])
            const garbage = yield* respond("not-a-token", "ACCEPTED")
            assert.deepStrictEqual([garbage.status, codeOf(garbage)], [400, "token_invalid"])
            // A signed token for another purpose (joining an org) answers no assignment.
            const invitee = `x${Date.now()}@example.test`
            yield* call("POST", "/v1/invitations", { ...as(owner), body: { email: invitee, role: "member" } })
            const foreign = yield* respond(yield* invitationTokenFor(invitee), "ACCEPTED")
            assert.deepStrictEqual([foreign.status, codeOf(foreign)], [400, "token_invalid"])

            const accepted = yield* respond(first.invitationToken, "ACCEPTED")
            assert.strictEqual(accepted.status, 200, accepted.text)
            assert.strictEqual(body<Record>(accepted).status, "ACCEPTED")
            const reused = yield* respond(first.invitationToken, "DECLINED")
            assert.deepStrictEqual([reused.status, codeOf(reused)], [409, "token_used"])
            assert.strictEqual(
              body<Record>(yield* call("GET", `/v1/assignments/${first.id}`, as(tech))).status,
              "ACCEPTED"
            )

            const declined = yield* respond(second.invitationToken, "DECLINED")
            assert.strictEqual(body<Record>(declined).status, "DECLINED")
            assert.strictEqual((yield* respond(second.invitationToken, "ACCEPTED")).status, 409)

            // A link answered once logged in is spent too.
            const third = yield* invite(
              owner,
              (yield* createMission(owner, { start: 20, end: 22 })).id,
              tech.accountId
            )
            assert.strictEqual((yield* answerAs(tech, third.id, "DECLINED")).status, 200)
            const spent = yield* respond(third.invitationToken, "ACCEPTED")
            assert.deepStrictEqual([spent.status, codeOf(spent)], [409, "token_used"])

            // A link expires when its mission starts: this one's already has.
            const started = yield* createMission(owner, { start: -24 * 365 * 10, end: -24 * 365 * 10 + 2 })
            const late = yield* invite(owner, started.id, tech.accountId)
            const expired = yield* respond(late.invitationToken, "ACCEPTED")
            assert.deepStrictEqual([expired.status, codeOf(expired)], [400, "token_invalid"])
            assert.strictEqual(
              body<Record>(yield* call("GET", `/v1/assignments/${late.id}`, as(tech))).status,
              "INVITED"
            )
          })
      )

      it.effect("one person cannot accept two overlapping missions, also when both accepts race", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const tech = yield* addMember(owner, "technician")
          const project = yield* createProject(owner)
          const morning = yield* createMission(owner, { projectId: project.id, start: 0, end: 4 })
          const overlapping = yield* createMission(owner, { projectId: project.id, start: 3, end: 6 })
          const backToBack = yield* createMission(owner, { projectId: project.id, start: 4, end: 8 })
          const a = yield* invite(owner, morning.id, tech.accountId)
          const b = yield* invite(owner, overlapping.id, tech.accountId)
          const c = yield* invite(owner, backToBack.id, tech.accountId)
          assert.strictEqual((yield* answerAs(tech, a.id, "ACCEPTED")).status, 200)
          const refused = yield* answerAs(tech, b.id, "ACCEPTED")
          assert.deepStrictEqual([refused.status, codeOf(refused)], [409, "conflict"])
          assert.deepStrictEqual(body<Problem>(refused).conflicts, [
            { subjectType: "person", subjectId: tech.accountId, startAt: at(0), endAt: at(4) }
          ])
          assert.strictEqual(
            body<Record>(yield* call("GET", `/v1/assignments/${b.id}`, as(tech))).status,
            "INVITED"
          )
          // Half-open intervals: 04:00-08:00 follows 00:00-04:00 without overlapping it.
          assert.strictEqual((yield* answerAs(tech, c.id, "ACCEPTED")).status, 200)

          // Racing: each round, two overlapping missions, both accepted at once; one wins.
          for (let round = 0; round < 4; round++) {
            const start = 100 + round * 10
            const left = yield* createMission(owner, { projectId: project.id, start, end: start + 3 })
            const right = yield* createMission(owner, {
              projectId: project.id,
              start: start + 1,
              end: start + 4
            })
            const l = yield* invite(owner, left.id, tech.accountId)
            const r = yield* invite(owner, right.id, tech.accountId)
            const answers = yield* Effect.all(
              [answerAs(tech, l.id, "ACCEPTED"), respond(r.invitationToken, "ACCEPTED")],
              { concurrency: "unbounded" }
            )
            assert.deepStrictEqual(
              answers.map((answer) => answer.status).sort(),
              [200, 409],
              answers.map((answer) => answer.text).join(" | ")
            )
            assert.strictEqual(codeOf(answers.find((answer) => answer.status === 409)!), "conflict")
          }
        })
      )

      it.effect("a scheduled intervention's time on the ledger blocks accepting overlapping work", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const tech = yield* addMember(owner, "technician")
          const mission = yield* createMission(owner, { start: 0, end: 4 })
          const assignment = yield* invite(owner, mission.id, tech.accountId)
          // Interventions claim their assignees' time on the same ledger.
          yield* Effect.gen(function* () {
            const ledger = yield* Ledger.Ledger
            yield* ledger.claim(Ids.OrgId.make(owner.orgId), [
              {
                subject: { type: "person", id: tech.accountId },
                interval: { startAt: DateTime.makeUnsafe(at(2)), endAt: DateTime.makeUnsafe(at(6)) },
                source: { type: "intervention", id: "018f0000-0000-7000-8000-00000000abcd" }
              }
            ])
          }).pipe(Effect.provide(PgLedger.layer), Effect.provide(Ids.Ids.layer), Effect.orDie)
          const refused = yield* answerAs(tech, assignment.id, "ACCEPTED")
          assert.deepStrictEqual([refused.status, codeOf(refused)], [409, "conflict"])
          assert.deepStrictEqual(body<Problem>(refused).conflicts?.[0]?.startAt, at(2))
        })
      )

      it.effect("10 people racing to accept a mission with headcount 3 leave exactly 3 accepted", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const mission = yield* createMission(owner, { headcount: 3 })
          const people = yield* Effect.forEach(Array.from({ length: 10 }), () =>
            addMember(owner, "technician")
          )
          const invited = yield* Effect.forEach(people, (person) =>
            invite(owner, mission.id, person.accountId)
          )
          // Half answer logged in, half from their links: both paths share one rule.
          const answers = yield* Effect.forEach(
            invited,
            (assignment, index) =>
              index % 2 === 0
                ? answerAs(people[index]!, assignment.id, "ACCEPTED")
                : respond(assignment.invitationToken, "ACCEPTED"),
            { concurrency: "unbounded" }
          )
          const statuses = answers.map((answer) => answer.status).sort()
          assert.deepStrictEqual(statuses, [200, 200, 200, 409, 409, 409, 409, 409, 409, 409])
          for (const answer of answers.filter((a) => a.status === 409)) {
            assert.strictEqual(codeOf(answer), "mission_full", answer.text)
          }
          const accepted = yield* items(
            owner,
            `/v1/assignments?missionId=${mission.id}&status=ACCEPTED&limit=100`
          )
          assert.strictEqual(accepted.length, 3)
        })
      )

      it.effect("an approved unavailability blocks acceptance; a pending or rejected one does not", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const manager = yield* addMember(owner, "manager")
          const tech = yield* addMember(owner, "technician")
          const project = yield* createProject(manager)
          const window = yield* createAvailability(tech, {
            kind: "UNAVAILABLE",
            startAt: at(1),
            endAt: at(30),
            note: "Holiday"
          })
          assert.strictEqual(window.status, "PENDING")
          // The person cannot decide their own window; a manager can.
          assert.strictEqual(
            (yield* call("POST", `/v1/availability/${window.id}/approve`, as(tech))).status,
            403
          )
          const approved = yield* call("POST", `/v1/availability/${window.id}/approve`, as(manager))
          assert.strictEqual(body<Record>(approved).status, "APPROVED")

          const blocked = yield* invite(
            manager,
            (yield* createMission(manager, { projectId: project.id })).id,
            tech.accountId
          )
          const refused = yield* answerAs(tech, blocked.id, "ACCEPTED")
          assert.deepStrictEqual([refused.status, codeOf(refused)], [409, "conflict"])
          assert.deepStrictEqual(body<Problem>(refused).conflicts, [
            { subjectType: "person", subjectId: tech.accountId, startAt: at(1), endAt: at(30) }
          ])
          const byLink = yield* respond(blocked.invitationToken, "ACCEPTED")
          assert.strictEqual(codeOf(byLink), "conflict")

          // Outside the window, work is accepted.
          const later = yield* invite(
            manager,
            (yield* createMission(manager, { projectId: project.id, start: 30, end: 34 })).id,
            tech.accountId
          )
          assert.strictEqual((yield* answerAs(tech, later.id, "ACCEPTED")).status, 200)

          // Someone else's pending and rejected windows block nothing.
          const other = yield* addMember(owner, "technician")
          const pending = yield* createAvailability(other, {
            kind: "UNAVAILABLE",
            startAt: at(0),
            endAt: at(10)
          })
          const rejected = yield* createAvailability(other, {
            kind: "UNAVAILABLE",
            startAt: at(10),
            endAt: at(20)
          })
          assert.strictEqual(
            body<Record>(yield* call("POST", `/v1/availability/${rejected.id}/reject`, as(manager))).status,
            "REJECTED"
          )
          assert.strictEqual((yield* call("GET", `/v1/availability/${pending.id}`, as(tech))).status, 404)
          const mine = yield* items(other, "/v1/availability")
          assert.deepStrictEqual(mine.map((w) => w.id).sort(), [pending.id, rejected.id].sort())
          const free = yield* invite(
            manager,
            (yield* createMission(manager, { projectId: project.id, start: 2, end: 12 })).id,
            other.accountId
          )
          assert.strictEqual((yield* answerAs(other, free.id, "ACCEPTED")).status, 200)
          assert.deepStrictEqual(yield* eventsOf(owner, window.id), ["CREATE", "STATUS_CHANGE"])
        })
      )

      it.effect("bulk mission creation is atomic: one refused mission leaves none", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const project = yield* createProject(owner, { startsAt: at(0), endsAt: at(48) })
          const mission = (start: number, end: number) => ({
            title: `Shift ${start}`,
            role: "steward",
            startAt: at(start),
            endAt: at(end),
            headcount: 4
          })
          const refused = yield* call("POST", `/v1/projects/${project.id}/missions/bulk`, {
            ...as(owner),
            body: { missions: [mission(0, 8), mission(8, 16), mission(40, 60)] }
          })
          assert.strictEqual(refused.status, 400, refused.text)
          assert.deepStrictEqual(
            body<{ errors: ReadonlyArray<{ path: ReadonlyArray<unknown> }> }>(refused).errors[0]?.path,
            ["body", "missions", 2, "startAt"]
          )
          assert.deepStrictEqual(yield* items(owner, `/v1/missions?projectId=${project.id}`), [])

          const created = yield* call("POST", `/v1/projects/${project.id}/missions/bulk`, {
            ...as(owner),
            body: { missions: [mission(0, 8), mission(8, 16), mission(16, 24)] }
          })
          assert.strictEqual(created.status, 201, created.text)
          assert.strictEqual(body<Page>(created).items.length, 3)
          const listed = yield* items(owner, `/v1/missions?projectId=${project.id}&sort=startAt`)
          assert.deepStrictEqual(
            listed.map((m) => m.title),
            ["Shift 0", "Shift 8", "Shift 16"]
          )
          const technician = yield* addMember(owner, "technician")
          assert.strictEqual(
            (yield* call("POST", `/v1/projects/${project.id}/missions/bulk`, {
              ...as(technician),
              body: { missions: [mission(0, 8)] }
            })).status,
            403
          )
          assert.strictEqual((yield* items(technician, `/v1/missions?projectId=${project.id}`)).length, 3)
        })
      )

      it.effect("duplication copies a mission with its crew invited again, all or nothing", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const project = yield* createProject(owner)
          const source = yield* createMission(owner, {
            projectId: project.id,
            start: 0,
            end: 6,
            headcount: 5
          })
          const alice = yield* addMember(owner, "technician")
          const bob = yield* addMember(owner, "technician")
          yield* invite(owner, source.id, alice.accountId)
          const bobs = yield* invite(owner, source.id, bob.accountId)
          assert.strictEqual((yield* answerAs(bob, bobs.id, "ACCEPTED")).status, 200)

          const copied = yield* call("POST", `/v1/missions/${source.id}/duplicate`, {
            ...as(owner),
            body: { startAt: at(24), inviteCrew: true }
          })
          assert.strictEqual(copied.status, 201, copied.text)
          const copy = body<Record>(copied)
          assert.deepStrictEqual(
            [copy.startAt, copy.endAt, copy.title, copy.headcount, copy.projectId],
            [at(24), at(30), source.title, 5, project.id]
          )
          const crew = yield* items(owner, `/v1/assignments?missionId=${copy.id}`)
          assert.deepStrictEqual(
            crew.map((a) => [a.accountId, a.status]).sort(),
            [
              [alice.accountId, "INVITED"],
              [bob.accountId, "INVITED"]
            ].sort()
          )

          // Bob left the org: inviting him again fails, so no copy and no invitation is made.
          assert.strictEqual((yield* call("DELETE", `/v1/members/${bob.accountId}`, as(owner))).status, 204)
          const before = yield* items(owner, `/v1/missions?projectId=${project.id}&limit=100`)
          const failed = yield* call("POST", `/v1/missions/${source.id}/duplicate`, {
            ...as(owner),
            body: { startAt: at(48), inviteCrew: true }
          })
          assert.deepStrictEqual([failed.status, codeOf(failed)], [404, "not_found"])
          const after = yield* items(owner, `/v1/missions?projectId=${project.id}&limit=100`)
          assert.deepStrictEqual(
            after.map((m) => m.id),
            before.map((m) => m.id)
          )
          const invitations = yield* items(owner, `/v1/assignments?accountId=${alice.accountId}&limit=100`)
          assert.strictEqual(invitations.length, 2)
        })
      )

      it.effect("deleting a mission cancels its assignments and frees its people's time", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const tech = yield* addMember(owner, "technician")
          const first = yield* createMission(owner, { start: 0, end: 4 })
          const assignment = yield* invite(owner, first.id, tech.accountId)
          assert.strictEqual((yield* answerAs(tech, assignment.id, "ACCEPTED")).status, 200)
          assert.strictEqual((yield* call("DELETE", `/v1/missions/${first.id}`, as(owner))).status, 204)
          const cancelled = yield* call("GET", `/v1/assignments/${assignment.id}`, as(tech))
          assert.strictEqual(body<Record>(cancelled).status, "CANCELLED")
          const second = yield* invite(
            owner,
            (yield* createMission(owner, { start: 1, end: 3 })).id,
            tech.accountId
          )
          assert.strictEqual((yield* answerAs(tech, second.id, "ACCEPTED")).status, 200)
          // Moving it onto time the person no longer has free is refused and changes nothing.
          const third = yield* createMission(owner, { start: 10, end: 12 })
          const busy = yield* invite(owner, third.id, tech.accountId)
          assert.strictEqual((yield* answerAs(tech, busy.id, "ACCEPTED")).status, 200)
          const moved = yield* call("PATCH", `/v1/missions/${third.id}`, {
            ...as(owner, { "if-match": `"${third.version}"` }),
            body: { startAt: at(2), endAt: at(4) }
          })
          assert.deepStrictEqual([moved.status, codeOf(moved)], [409, "conflict"])
          const shifted = yield* call("PATCH", `/v1/missions/${third.id}`, {
            ...as(owner, { "if-match": `"${third.version}"` }),
            body: { startAt: at(5), endAt: at(7) }
          })
          assert.strictEqual(shifted.status, 200, shifted.text)
          const fourth = yield* invite(
            owner,
            (yield* createMission(owner, { start: 10, end: 12 })).id,
            tech.accountId
          )
          assert.strictEqual((yield* answerAs(tech, fourth.id, "ACCEPTED")).status, 200)
        })
      )

      it.effect("the project cost sums accepted hours at each member's rate, for managers only", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const tech = yield* addMember(owner, "technician")
          const daily = yield* addMember(owner, "technician")
          const unpriced = yield* addMember(owner, "technician")
          const put = yield* call("PUT", `/v1/members/${tech.accountId}/rate-profile`, {
            ...as(owner),
            body: { currency: "EUR", hourly: 3000 }
          })
          assert.deepStrictEqual(body(put), {
            accountId: tech.accountId,
            orgId: owner.orgId,
            currency: "EUR",
            hourly: 3000,
            daily: null
          })
          yield* call("PUT", `/v1/members/${daily.accountId}/rate-profile`, {
            ...as(owner),
            body: { currency: "EUR", daily: 20000 }
          })
          const project = yield* createProject(owner)
          const mission = yield* createMission(owner, {
            projectId: project.id,
            start: 0,
            end: 2,
            headcount: 5
          })
          for (const person of [tech, daily, unpriced]) {
            const assignment = yield* invite(owner, mission.id, person.accountId)
            assert.strictEqual((yield* answerAs(person, assignment.id, "ACCEPTED")).status, 200)
          }
          // An invitation nobody accepted costs nothing.
          yield* invite(owner, mission.id, (yield* addMember(owner, "technician")).accountId)
          const read = yield* call("GET", `/v1/projects/${project.id}`, as(owner))
          assert.deepStrictEqual(body<{ estimatedCost: unknown }>(read).estimatedCost, {
            totals: [{ amount: 6000 + 20000, currency: "EUR" }],
            minutes: 360,
            unpriced: 1
          })
          const asTech = yield* call("GET", `/v1/projects/${project.id}`, as(tech))
          assert.strictEqual(body<{ estimatedCost: unknown }>(asTech).estimatedCost, null)
          assert.strictEqual(
            (yield* call("GET", `/v1/members/${tech.accountId}/rate-profile`, as(tech))).status,
            403
          )
        })
      )
    })
  })
}
