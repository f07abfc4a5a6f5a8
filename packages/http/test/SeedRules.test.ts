import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { TestServer } from "../src/testing.ts"
import { at, type Record } from "./fixtures/Crews.ts"
import {
  type Answer,
  addMember,
  body,
  call,
  freshPerson,
  invitationTokenFor,
  registerOwner
} from "./fixtures/Http.ts"
import { createIntervention } from "./fixtures/Interventions.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string }
type Page = { readonly items: ReadonlyArray<Record> }

const as = (org: Org, payload?: object) => ({
  token: org.token,
  orgId: org.orgId,
  ...(payload === undefined ? {} : { body: payload })
})

const codeOf = (answer: Answer) => body<{ readonly code: string }>(answer).code

const hours = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 3_600_000

// The `exp` claim of a signed link, in seconds since the epoch.
const expiryOf = (token: string) =>
  (JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString("utf8")) as { exp: number }).exp

const items = (org: Org, path: string) =>
  Effect.map(call("GET", path, as(org)), (answer) => {
    assert.strictEqual(answer.status, 200, answer.text)
    return body<Page>(answer).items
  })

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer), { timeout: 120_000, excludeTestServices: true })(
      "seed rules",
      (it) => {
        it.effect("managers enter availability for another member; members only for themselves", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const manager = yield* addMember(owner, "manager")
            const tech = yield* addMember(owner, "technician")
            const member = yield* addMember(owner, "member")
            const leave = { kind: "UNAVAILABLE", startAt: at(1), endAt: at(9), note: "Phoned in sick" }

            const entered = yield* call(
              "POST",
              "/v1/availability",
              as(manager, { ...leave, accountId: tech.accountId })
            )
            assert.strictEqual(entered.status, 201, entered.text)
            const window = body<Record>(entered)
            assert.deepStrictEqual([window.accountId, window.status], [tech.accountId, "PENDING"])
            // It is the technician's window: they see it as their own, and approving it claims their time.
            assert.deepStrictEqual(
              (yield* items(tech, "/v1/availability")).map((w) => w.id),
              [window.id]
            )
            const approved = yield* call("POST", `/v1/availability/${window.id}/approve`, as(manager))
            assert.strictEqual(approved.status, 200, approved.text)
            const conflicts = yield* items(
              manager,
              `/v1/conflicts?accountId=${tech.accountId}&from=${at(0)}&to=${at(10)}`
            )
            assert.deepStrictEqual(
              conflicts.map((c) => [c.subjectId, c.sourceType, c.sourceId]),
              [[tech.accountId, "leave", window.id]]
            )

            // Without `accountId`, or naming oneself, a window is one's own.
            const own = yield* call("POST", "/v1/availability", as(member, leave))
            assert.strictEqual(body<Record>(own).accountId, member.accountId)
            const self = yield* call(
              "POST",
              "/v1/availability",
              as(member, { ...leave, accountId: member.accountId })
            )
            assert.strictEqual(self.status, 201, self.text)

            // Members and technicians cannot enter someone else's.
            for (const person of [member, tech]) {
              const refused = yield* call(
                "POST",
                "/v1/availability",
                as(person, { ...leave, accountId: owner.accountId })
              )
              assert.deepStrictEqual([refused.status, codeOf(refused)], [403, "forbidden"], refused.text)
            }
            assert.strictEqual(
              (yield* items(owner, `/v1/availability?accountId=${owner.accountId}`)).length,
              0,
              "a refused window was not written"
            )

            // An account outside the organisation is not a member to enter time for.
            const stranger = yield* registerOwner("stranger")
            const outside = yield* call(
              "POST",
              "/v1/availability",
              as(manager, { ...leave, accountId: stranger.accountId })
            )
            assert.deepStrictEqual([outside.status, codeOf(outside)], [404, "not_found"], outside.text)
          })
        )

        it.effect("the invitation lifetime is an org setting: 7 days by default, 1 hour to 30 days", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const inviteSomeone = Effect.gen(function* () {
              const email = freshPerson("invitee").email
              const sent = yield* call("POST", "/v1/invitations", as(owner, { email, role: "member" }))
              assert.strictEqual(sent.status, 201, sent.text)
              const invitation = body<{ invitation: { expiresAt: string; createdAt: string } }>(
                sent
              ).invitation
              return { invitation, token: yield* invitationTokenFor(email) }
            })

            const org = yield* call("GET", "/v1/org", as(owner))
            assert.strictEqual(
              body<{ settings: { invitationTtlHours: number } }>(org).settings.invitationTtlHours,
              168
            )
            const first = yield* inviteSomeone
            assert.strictEqual(hours(first.invitation.createdAt, first.invitation.expiresAt), 168)

            const setTtl = (ttl: number, version: number) =>
              call("PATCH", "/v1/org", {
                ...as(owner, { settings: { invitationTtlHours: ttl } }),
                headers: { "if-match": `"${version}"` }
              })
            for (const outOfBounds of [0, 721, 1.5]) {
              const refused = yield* setTtl(outOfBounds, 1)
              assert.strictEqual(refused.status, 400, refused.text)
            }
            const changed = yield* setTtl(48, 1)
            assert.strictEqual(changed.status, 200, changed.text)
            const settings = body<{ settings: { invitationTtlHours: number; offerTtlMinutes: number } }>(
              changed
            ).settings
            assert.deepStrictEqual([settings.invitationTtlHours, settings.offerTtlMinutes], [48, 10])

            // Sent from then on: the row, the outgoing message and the signed link all end after 48 hours.
            const second = yield* inviteSomeone
            assert.strictEqual(hours(second.invitation.createdAt, second.invitation.expiresAt), 48)
            assert.strictEqual(
              expiryOf(second.token),
              Math.floor(Date.parse(second.invitation.expiresAt) / 1000)
            )
            // The earlier invitation keeps the lifetime it was sent with.
            assert.strictEqual(
              expiryOf(first.token),
              Math.floor(Date.parse(first.invitation.expiresAt) / 1000)
            )

            const shortest = yield* setTtl(1, 2)
            assert.strictEqual(shortest.status, 200, shortest.text)
            const third = yield* inviteSomeone
            assert.strictEqual(hours(third.invitation.createdAt, third.invitation.expiresAt), 1)
          })
        )

        it.effect("crew profiles carry an optional employment type, set by staff", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const manager = yield* addMember(owner, "manager")
            const person = freshPerson("contractor")
            const created = yield* call(
              "POST",
              "/v1/technicians",
              as(manager, { ...person, employmentType: "CONTRACTOR" })
            )
            assert.strictEqual(created.status, 201, created.text)
            const technician = body<{ accountId: string; employmentType: string | null; version: number }>(
              created
            )
            assert.strictEqual(technician.employmentType, "CONTRACTOR")
            const read = yield* call("GET", `/v1/technicians/${technician.accountId}`, as(manager))
            assert.strictEqual(body<{ employmentType: string }>(read).employmentType, "CONTRACTOR")
            // Someone added without one has none.
            assert.isNull(
              body<{ employmentType: null }>(
                yield* call("GET", `/v1/members/${manager.accountId}`, as(owner))
              ).employmentType
            )

            const unknown = yield* call(
              "POST",
              "/v1/technicians",
              as(manager, { ...freshPerson("x"), employmentType: "VOLUNTEER" })
            )
            assert.strictEqual(unknown.status, 400, unknown.text)

            const patch = (by: Org, version: number, changes: object) =>
              call("PATCH", `/v1/technicians/${technician.accountId}`, {
                ...as(by, changes),
                headers: { "if-match": `"${version}"` }
              })
            const changed = yield* patch(manager, technician.version, { employmentType: "FREELANCE" })
            assert.strictEqual(changed.status, 200, changed.text)
            assert.strictEqual(body<{ employmentType: string }>(changed).employmentType, "FREELANCE")

            // The technician edits their own profile, but not how they work for the org.
            const login = yield* call("POST", "/v1/auth/login", {
              body: { login: person.username, password: person.password }
            })
            const self: Org = { token: body<{ accessToken: string }>(login).accessToken, orgId: owner.orgId }
            const own = yield* patch(self, technician.version + 1, { skills: ["rigging"] })
            assert.strictEqual(own.status, 200, own.text)
            const refused = yield* patch(self, technician.version + 2, { employmentType: "EMPLOYEE" })
            assert.deepStrictEqual([refused.status, codeOf(refused)], [403, "forbidden"], refused.text)

            const cleared = yield* patch(manager, technician.version + 2, { employmentType: null })
            assert.strictEqual(cleared.status, 200, cleared.text)
            assert.isNull(body<{ employmentType: null }>(cleared).employmentType)
            const byRole = yield* call("PATCH", `/v1/members/${technician.accountId}`, {
              ...as(owner, { employmentType: "EMPLOYEE" }),
              headers: { "if-match": `"${technician.version + 3}"` }
            })
            assert.strictEqual(
              body<{ employmentType: string }>(byRole).employmentType,
              "EMPLOYEE",
              byRole.text
            )

            // Invited without a password, the type waits in the invitation and lands on acceptance.
            const intern = freshPerson("intern")
            const invited = yield* call(
              "POST",
              "/v1/technicians",
              as(manager, {
                username: intern.username,
                email: intern.email,
                fullName: intern.fullName,
                employmentType: "INTERN"
              })
            )
            assert.strictEqual(invited.status, 202, invited.text)
            const accepted = yield* call("POST", "/v1/invitations/accept", {
              body: { token: yield* invitationTokenFor(intern.email), password: intern.password }
            })
            assert.strictEqual(accepted.status, 200, accepted.text)
            const interns = yield* items(manager, `/v1/technicians?q=${intern.username}`)
            assert.deepStrictEqual(
              interns.map((t) => t.employmentType),
              ["INTERN"]
            )
          })
        )

        it.effect("typed timeline events are posted on an intervention; system types are not postable", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const tech = yield* addMember(owner, "technician")
            const client = yield* addMember(owner, "member")
            const intervention = yield* createIntervention(owner)
            const post = (by: Org, event: object, id = intervention.id) =>
              call("POST", `/v1/interventions/${id}/timeline`, as(by, event))

            const diagnosis = yield* post(tech, { type: "diagnosis", details: "Worn brake pads, front axle" })
            assert.strictEqual(diagnosis.status, 201, diagnosis.text)
            const posted = body<{ id: string; type: string; actorId: string; data: unknown }>(diagnosis)
            assert.deepStrictEqual(
              [posted.type, posted.actorId, posted.data],
              ["diagnosis", tech.accountId, { details: "Worn brake pads, front axle" }]
            )
            const called = yield* post(tech, {
              type: "customer_contacted",
              details: "Called, quote accepted"
            })
            assert.strictEqual(called.status, 201, called.text)
            const note = yield* post(tech, { type: "note", details: "Parts ordered" })
            assert.deepStrictEqual(body<{ data: unknown }>(note).data, { text: "Parts ordered" })

            // The events the system writes, or types nobody declared, are refused before anything is written.
            for (const type of [
              "created",
              "status_changed",
              "assigned",
              "completed",
              "part_used",
              "gossip"
            ]) {
              const refused = yield* post(tech, { type, details: "Forged" })
              assert.strictEqual(refused.status, 400, `${type}: ${refused.text}`)
            }
            assert.strictEqual((yield* post(tech, { type: "photo", details: "   " })).status, 400)
            assert.strictEqual((yield* post(tech, { type: "photo" })).status, 400)
            // A client reads their tickets but writes nothing on them.
            const byClient = yield* post(client, { type: "note", details: "Hello" })
            assert.deepStrictEqual([byClient.status, codeOf(byClient)], [403, "forbidden"])
            // Another organisation's intervention does not exist here.
            const other = yield* registerOwner("other")
            const foreign = yield* post(other, { type: "note", details: "Hi" }, intervention.id)
            assert.strictEqual(foreign.status, 404, foreign.text)

            const timeline = yield* items(owner, `/v1/interventions/${intervention.id}/events?limit=100`)
            assert.deepStrictEqual(
              timeline.map((event) => event.type),
              ["created", "diagnosis", "customer_contacted", "note"]
            )
            const audited = yield* items(owner, `/v1/audit?entityId=${posted.id}`)
            assert.deepStrictEqual(
              audited.map((event) => [event.entityType, event.action]),
              [["intervention_event", "CREATE"]]
            )
          })
        )
      }
    )
  })
}
