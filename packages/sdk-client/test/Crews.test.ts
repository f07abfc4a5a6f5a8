import { assert, layer } from "@effect/vitest"
import { TestServer } from "@rota/http/testing"
import { TestDatabase } from "@rota/storage-pg/testing"
import { DateTime, Effect } from "effect"
import { createClient, type RotaProblem } from "../src/index.ts"
import { memberOf } from "./fixtures/Live.ts"

const unique = () => Math.random().toString(36).slice(2, 8)
const at = (hours: number) => DateTime.makeUnsafe(Date.UTC(2031, 4, 1, 8) + hours * 3_600_000)

const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error
  )

// Runs a Promise-based scenario against the live server of the surrounding layer.
const scenario = (body: (url: string) => Promise<void>) =>
  Effect.flatMap(Effect.service(TestServer.TestServer), ({ url }) => Effect.promise(() => body(url)))

// An owner with an org, and a technician of that org logged in on a client of their own.
const crew = async (url: string) => {
  const owner = createClient({ baseUrl: url })
  const name = `crew${unique()}`
  const registered = await owner.auth.register({
    payload: {
      email: `${name}@example.test`,
      username: name,
      password: "Owner-Pass-123",
      fullName: "Owner",
      orgName: `Crew Org ${name}`
    }
  })
  owner.session.orgId = registered.org.id
  const techName = `t${name}`
  const tech = memberOf(
    await owner.technicians.create({
      headers: {},
      payload: {
        username: techName,
        email: `${techName}@example.test`,
        fullName: "Tech",
        password: "Tech-Pass-1234"
      }
    })
  )
  const person = createClient({ baseUrl: url })
  await person.auth.login({ payload: { login: techName, password: "Tech-Pass-1234" } })
  person.session.orgId = registered.org.id
  return { owner, person, techId: tech.accountId }
}

layer(TestServer.layer(TestDatabase.stores()[0]!.layer), { timeout: 60_000, excludeTestServices: true })(
  "the Promise SDK against a live server: crews",
  (it) => {
    it.effect("plans projects and missions: bulk creation, duplication, updates, delete and restore", () =>
      scenario(async (url) => {
        const { owner, person } = await crew(url)
        const project = await owner.projects.create({
          headers: {},
          payload: { name: "Summer festival", startsAt: at(0), endsAt: at(72) }
        })
        assert.strictEqual(project.status, "DRAFT")
        const bulk = await owner.projects.createMissions({
          params: { id: project.id },
          headers: {},
          payload: {
            missions: [
              { title: "Build", role: "rigger", startAt: at(0), endAt: at(8), headcount: 4 },
              {
                title: "Show",
                role: "sound",
                startAt: at(24),
                endAt: at(30),
                headcount: 2,
                location: "Main stage"
              }
            ]
          }
        })
        assert.deepStrictEqual(
          bulk.items.map((m) => m.title),
          ["Build", "Show"]
        )
        const copy = await owner.missions.duplicate({
          params: { id: bulk.items[0]!.id },
          headers: {},
          payload: { startAt: at(48), title: "Teardown" }
        })
        assert.strictEqual(DateTime.formatIso(copy.endAt), DateTime.formatIso(at(56)))
        const single = await owner.missions.create({
          headers: {},
          payload: {
            projectId: project.id,
            title: "Catering",
            role: "cook",
            startAt: at(10),
            endAt: at(12),
            headcount: 1
          }
        })
        const listed = await person.missions.list({ query: { projectId: project.id, sort: "startAt" } })
        assert.deepStrictEqual(
          listed.items.map((m) => m.title),
          ["Build", "Catering", "Show", "Teardown"]
        )
        const renamed = await owner.missions.update({
          params: { id: single.id },
          headers: { "if-match": `"${single.version}"` },
          payload: { headcount: 3 }
        })
        assert.strictEqual(renamed.headcount, 3)
        await owner.missions.remove({ params: { id: single.id }, headers: {} })
        const restored = await owner.missions.restore({ params: { id: single.id }, headers: {} })
        assert.isNull(restored.deletedAt)

        const active = await owner.projects.update({
          params: { id: project.id },
          headers: { "if-match": `"${project.version}"` },
          payload: { status: "ACTIVE" }
        })
        assert.strictEqual(active.status, "ACTIVE")
        const back = await rejection(
          owner.projects.update({
            params: { id: project.id },
            headers: { "if-match": `"${active.version}"` },
            payload: { status: "DRAFT" }
          })
        )
        assert.strictEqual((back as RotaProblem).code, "invalid_transition")
        const projects = await person.projects.list({ query: { status: ["ACTIVE"] } })
        assert.deepStrictEqual(
          projects.items.map((p) => p.id),
          [project.id]
        )
        const forbidden = await rejection(person.projects.create({ headers: {}, payload: { name: "Mine" } }))
        assert.strictEqual((forbidden as RotaProblem).status, 403)
        await owner.projects.remove({ params: { id: project.id }, headers: {} })
        const gone = await rejection(owner.projects.get({ params: { id: project.id }, query: {} }))
        assert.strictEqual((gone as RotaProblem).code, "not_found")
        await owner.projects.restore({ params: { id: project.id }, headers: {} })
        await Promise.all([owner.dispose(), person.dispose()])
      })
    )

    it.effect("invites, answers by login and by link, refuses full missions, and prices the work", () =>
      scenario(async (url) => {
        const { owner, person, techId } = await crew(url)
        const project = await owner.projects.create({ headers: {}, payload: { name: "Shoot" } })
        const { items } = await owner.projects.createMissions({
          params: { id: project.id },
          headers: {},
          payload: {
            missions: [
              { title: "Day 1", role: "grip", startAt: at(0), endAt: at(8), headcount: 1 },
              { title: "Day 2", role: "grip", startAt: at(24), endAt: at(32), headcount: 1 }
            ]
          }
        })
        const [day1, day2] = items as [(typeof items)[number], (typeof items)[number]]
        const first = await owner.assignments.create({
          headers: {},
          payload: { missionId: day1.id, accountId: techId }
        })
        assert.strictEqual(first.status, "INVITED")
        const mine = await person.assignments.list({ query: {} })
        assert.deepStrictEqual(
          mine.items.map((a) => a.id),
          [first.id]
        )
        const accepted = await person.assignments.setStatus({
          params: { id: first.id },
          headers: {},
          payload: { status: "ACCEPTED" }
        })
        assert.strictEqual(accepted.status, "ACCEPTED")

        const second = await owner.assignments.create({
          headers: {},
          payload: { missionId: day2.id, accountId: techId }
        })
        const guest = createClient({ baseUrl: url })
        const byLink = await guest.assignmentResponse.respond({
          payload: { token: second.invitationToken, decision: "ACCEPTED" }
        })
        assert.strictEqual(byLink.status, "ACCEPTED")
        const reused = await rejection(
          guest.assignmentResponse.respond({
            payload: { token: second.invitationToken, decision: "DECLINED" }
          })
        )
        assert.strictEqual((reused as RotaProblem).code, "token_used")

        // Day 1 has its one person: nobody else gets in.
        const other = memberOf(
          await owner.members.create({
            headers: {},
            payload: {
              email: `o${unique()}@example.test`,
              fullName: "Other",
              role: "technician",
              password: "Other-Pass-123"
            }
          })
        )
        const extra = await owner.assignments.create({
          headers: {},
          payload: { missionId: day1.id, accountId: other.accountId }
        })
        const full = await rejection(
          guest.assignmentResponse.respond({
            payload: { token: extra.invitationToken, decision: "ACCEPTED" }
          })
        )
        assert.deepStrictEqual(
          [(full as RotaProblem).code, (full as RotaProblem).status],
          ["mission_full", 409]
        )
        const cancelled = await owner.assignments.cancel({ params: { id: extra.id }, headers: {} })
        assert.strictEqual(cancelled.status, "CANCELLED")
        const fetched = await owner.assignments.get({ params: { id: extra.id } })
        assert.strictEqual(fetched.status, "CANCELLED")

        const profile = await owner.rateProfiles.put({
          params: { accountId: techId },
          payload: { currency: "EUR", hourly: 2500 }
        })
        assert.strictEqual(profile.hourly, 2500)
        const read = await owner.rateProfiles.get({ params: { accountId: techId } })
        assert.strictEqual(read.currency, "EUR")
        const detail = await owner.projects.get({ params: { id: project.id }, query: {} })
        assert.deepStrictEqual(detail.estimatedCost, {
          totals: [{ amount: 2500 * 16, currency: "EUR" }],
          minutes: 16 * 60,
          unpriced: 0
        })
        await Promise.all([owner.dispose(), person.dispose(), guest.dispose()])
      })
    )

    it.effect(
      "availability: submitted by the person, decided by a manager, blocking acceptance once approved",
      () =>
        scenario(async (url) => {
          const { owner, person, techId } = await crew(url)
          const window = await person.availability.create({
            headers: {},
            payload: { kind: "UNAVAILABLE", startAt: at(0), endAt: at(48), note: "Leave" }
          })
          assert.strictEqual(window.status, "PENDING")
          const moved = await person.availability.update({
            params: { id: window.id },
            headers: { "if-match": `"${window.version}"` },
            payload: { endAt: at(24) }
          })
          assert.strictEqual(DateTime.formatIso(moved.endAt), DateTime.formatIso(at(24)))
          const selfApproval = await rejection(
            person.availability.approve({ params: { id: window.id }, headers: {} })
          )
          assert.strictEqual((selfApproval as RotaProblem).status, 403)
          const approved = await owner.availability.approve({ params: { id: window.id }, headers: {} })
          assert.strictEqual(approved.status, "APPROVED")
          const all = await owner.availability.list({ query: { accountId: techId, status: ["APPROVED"] } })
          assert.deepStrictEqual(
            all.items.map((w) => w.id),
            [window.id]
          )
          const fetched = await person.availability.get({ params: { id: window.id } })
          assert.strictEqual(fetched.kind, "UNAVAILABLE")

          const project = await owner.projects.create({ headers: {}, payload: { name: "Tour" } })
          const mission = await owner.missions.create({
            headers: {},
            payload: {
              projectId: project.id,
              title: "Load-in",
              role: "rigger",
              startAt: at(20),
              endAt: at(26),
              headcount: 2
            }
          })
          const invited = await owner.assignments.create({
            headers: {},
            payload: { missionId: mission.id, accountId: techId }
          })
          const blocked = await rejection(
            person.assignments.setStatus({
              params: { id: invited.id },
              headers: {},
              payload: { status: "ACCEPTED" }
            })
          )
          assert.strictEqual((blocked as RotaProblem).code, "conflict")

          const spare = await person.availability.create({
            headers: {},
            payload: { kind: "AVAILABLE", startAt: at(100), endAt: at(110) }
          })
          const rejected = await owner.availability.reject({ params: { id: spare.id }, headers: {} })
          assert.strictEqual(rejected.status, "REJECTED")
          await person.availability.remove({ params: { id: spare.id }, headers: {} })
          const mine = await person.availability.list({ query: {} })
          assert.deepStrictEqual(
            mine.items.map((w) => w.id),
            [window.id]
          )
          await Promise.all([owner.dispose(), person.dispose()])
        })
    )
  }
)
