/**
 * Notifications end to end, with a real SMTP server in the test process: each event reaches
 * the people it concerns (by role or ownership) in-app and by email, as their preferences and
 * the organisation's defaults say; the in-app inbox lists, counts and marks read per account
 * and organisation; a message delivered again (a retry, a lease that ran out) sends nothing
 * twice; the mailed links work.
 */
import { afterAll, assert, describe, layer } from "@effect/vitest"
import { Effect, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { at, book, bookingOf } from "./fixtures/Bookings.ts"
import { createMission, invite } from "./fixtures/Crews.ts"
import { addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { as, createIntervention, type Intervention, move } from "./fixtures/Interventions.ts"
import { createPart, createResource, createUnit } from "./fixtures/Inventory.ts"
import { from, type NotificationBody, type Person } from "./fixtures/Notifications.ts"
import * as Smtp from "./fixtures/Smtp.ts"
import * as Stores from "./fixtures/Stores.ts"

const smtp = await Smtp.start()
afterAll(() => smtp.close())

interface PageBody {
  readonly items: ReadonlyArray<NotificationBody>
  readonly nextCursor: string | null
}

const deliver = Effect.gen(function* () {
  const { deliverOutbox } = yield* TestServer.TestServer
  // Some requests write after answering; a second pass picks up what the first one missed.
  yield* deliverOutbox
  yield* deliverOutbox
})

const inbox = (person: Person, query = "") =>
  Effect.map(call("GET", `/v1/notifications${query}`, as(person)), (answer) => {
    assert.strictEqual(answer.status, 200, answer.text)
    return body<PageBody>(answer)
  })

const eventsOf = (person: Person) =>
  Effect.map(inbox(person, "?limit=100"), (page) => page.items.map((n) => n.event))

const mailsTo = (email: string) => smtp.received.filter((mail) => mail.rcptTo.includes(email))

// Delivers until `email` has received `count` mails: some requests (a password reset) write
// their message after answering.
const awaitMails = (email: string, count = 1) =>
  Effect.gen(function* () {
    for (let attempt = 0; attempt < 100 && mailsTo(email).length < count; attempt++) {
      yield* deliver
      yield* Effect.sleep("20 millis")
    }
    return mailsTo(email)
  })

const post = (person: Person, path: string) => call("POST", path, as(person))

// Every outbox message delivered again, as after a lease that ran out on a crashed server.
const redeliverAll = Effect.gen(function* () {
  const sql = yield* SqlClient.SqlClient
  yield* Effect.orDie(
    sql`UPDATE outbox_messages SET delivered_at = NULL, leased_until = NULL, available_at = now() - interval '1 second'`
  )
  yield* deliver
})

const pendingBooking = (requester: Person, owner: Person) =>
  Effect.gen(function* () {
    const resource = yield* createResource(owner)
    const unit = yield* createUnit(owner, resource.id)
    const answer = yield* book(requester, { startAt: at(0), endAt: at(1), items: [{ unitId: unit.id }] })
    assert.strictEqual(answer.status, 201, answer.text)
    const booking = bookingOf(answer)
    assert.strictEqual(booking.status, "PENDING")
    return booking
  })

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer, { smtpUrl: Redacted.make(smtp.url), mailFrom: from }), {
      timeout: 120_000,
      excludeTestServices: true
    })("notifications", (it) => {
      it.effect(
        "a submitted booking reaches the approvers in-app and by SMTP, its approval the requester; redelivery sends nothing twice",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const manager = yield* addMember(owner, "manager")
            const technician = yield* addMember(owner, "technician")
            const member = yield* addMember(owner, "member")
            const booking = yield* pendingBooking(member, owner)
            yield* deliver

            for (const approver of [owner, manager]) {
              const items = (yield* inbox(approver)).items.filter((n) => n.event === "booking.submitted")
              assert.strictEqual(items.length, 1, approver.email)
              assert.strictEqual(items[0]!.subjectType, "booking")
              assert.strictEqual(items[0]!.subjectId, booking.id)
              assert.isNull(items[0]!.readAt)
              const mails = mailsTo(approver.email)
              assert.strictEqual(mails.length, 1, `mails to ${approver.email}`)
              const mail = mails[0]!
              assert.strictEqual(mail.headers.subject, "A booking waits for your approval")
              assert.strictEqual(mail.headers.from, from)
              assert.strictEqual(mail.mailFrom, "rota@example.test")
              assert.strictEqual(mail.headers["x-rota-topic"], "booking.created")
              assert.include(mail.text, booking.id)
              assert.include(mail.html, `<p>Booking ${booking.id} was submitted`)
            }
            assert.deepStrictEqual(yield* eventsOf(technician), [], "technicians approve nothing")
            assert.deepStrictEqual(yield* eventsOf(member), [], "the requester is not asked to approve")
            assert.strictEqual(mailsTo(member.email).length, 0)

            const approved = yield* post(owner, `/v1/bookings/${booking.id}/approve`)
            assert.strictEqual(approved.status, 200, approved.text)
            yield* deliver
            assert.deepStrictEqual(yield* eventsOf(member), ["booking.approved"])
            const [mail] = mailsTo(member.email)
            assert.strictEqual(mail?.headers.subject, "Your booking is approved")
            assert.include(mail!.text, booking.id)

            yield* redeliverAll
            for (const person of [owner, manager, member]) {
              assert.strictEqual(mailsTo(person.email).length, 1, `mails to ${person.email} after redelivery`)
              assert.strictEqual((yield* inbox(person)).items.length, 1, `inbox of ${person.email}`)
            }
          })
      )

      it.effect(
        "the inbox: newest first in pages, unread filter and count, read one, read all; scoped to the account and org",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const member = yield* addMember(owner, "member")
            const bookings = [
              yield* pendingBooking(member, owner),
              yield* pendingBooking(member, owner),
              yield* pendingBooking(member, owner)
            ]
            for (const [index, step] of ["approve", "reject", "approve"].entries()) {
              const answer = yield* post(owner, `/v1/bookings/${bookings[index]!.id}/${step}`)
              assert.strictEqual(answer.status, 200, answer.text)
              // One message after the other, so "newest first" has one answer.
              yield* deliver
            }
            const all = yield* inbox(member)
            assert.deepStrictEqual(
              all.items.map((n) => [n.event, n.subjectId]),
              [
                ["booking.approved", bookings[2]!.id],
                ["booking.rejected", bookings[1]!.id],
                ["booking.approved", bookings[0]!.id]
              ]
            )
            const first = yield* inbox(member, "?limit=2")
            assert.strictEqual(first.items.length, 2)
            assert.isString(first.nextCursor)
            const second = yield* inbox(member, `?limit=2&cursor=${first.nextCursor}`)
            assert.deepStrictEqual(
              [...first.items, ...second.items].map((n) => n.id),
              all.items.map((n) => n.id)
            )
            assert.isNull(second.nextCursor)

            const count = () =>
              Effect.map(call("GET", "/v1/notifications/unread-count", as(member)), (answer) => {
                assert.strictEqual(answer.status, 200, answer.text)
                return body<{ count: number }>(answer).count
              })
            assert.strictEqual(yield* count(), 3)
            const target = all.items[1]!
            const read = yield* post(member, `/v1/notifications/${target.id}/read`)
            assert.strictEqual(read.status, 200, read.text)
            const readAt = body<NotificationBody>(read).readAt
            assert.isString(readAt)
            const again = yield* post(member, `/v1/notifications/${target.id}/read`)
            assert.strictEqual(body<NotificationBody>(again).readAt, readAt, "the first read time stays")
            assert.strictEqual(yield* count(), 2)
            assert.deepStrictEqual(
              (yield* inbox(member, "?unread=true")).items.map((n) => n.id),
              [all.items[0]!.id, all.items[2]!.id]
            )

            // Someone else's notification does not exist, for the owner of the org as for anyone.
            assert.strictEqual((yield* post(owner, `/v1/notifications/${target.id}/read`)).status, 404)
            const stranger = yield* registerOwner("stranger")
            assert.strictEqual((yield* inbox(stranger)).items.length, 0)
            assert.strictEqual(
              (yield* call("GET", "/v1/notifications", { token: stranger.token, orgId: owner.orgId })).status,
              403
            )
            assert.strictEqual(
              (yield* call("POST", `/v1/notifications/${target.id}/read`, as(stranger))).status,
              404
            )

            const all2 = yield* post(member, "/v1/notifications/read-all")
            assert.strictEqual(all2.status, 200, all2.text)
            assert.deepStrictEqual(body(all2), { updated: 2 })
            assert.strictEqual(yield* count(), 0)
            assert.strictEqual((yield* inbox(member, "?unread=true")).items.length, 0)
            assert.strictEqual((yield* call("GET", "/v1/notifications?unread=maybe", as(member))).status, 400)
          })
      )

      it.effect(
        "preferences: an account's own switch beats the org default, which beats the built-in one; mandatory ones cannot be set",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const manager = yield* addMember(owner, "manager")
            const picky = yield* addMember(owner, "member", "picky")
            const plain = yield* addMember(owner, "member", "plain")

            const setDefaults = (person: Person, items: ReadonlyArray<object>) =>
              call("PUT", "/v1/notification-defaults", { ...as(person), body: { items } })
            const refused = yield* setDefaults(manager, [
              { event: "booking.rejected", channel: "in_app", enabled: false }
            ])
            assert.strictEqual(refused.status, 403, "only admins set the org's defaults")
            const defaults = yield* setDefaults(owner, [
              { event: "booking.rejected", channel: "in_app", enabled: false }
            ])
            assert.strictEqual(defaults.status, 200, defaults.text)

            const setMine = (person: Person, items: ReadonlyArray<object>) =>
              call("PUT", "/v1/me/notification-preferences", { ...as(person), body: { items } })
            const mine = yield* setMine(picky, [
              { event: "booking.rejected", channel: "email", enabled: false }
            ])
            assert.strictEqual(mine.status, 200, mine.text)
            type Setting = { event: string; channel: string; enabled: boolean; source: string }
            const settingOf = (answer: { readonly json: unknown }, event: string, channel: string) =>
              body<{ items: ReadonlyArray<Setting> }>(answer as never).items.find(
                (item) => item.event === event && item.channel === channel
              )
            assert.deepStrictEqual(settingOf(mine, "booking.rejected", "email"), {
              event: "booking.rejected",
              channel: "email",
              enabled: false,
              source: "account"
            })
            assert.deepStrictEqual(settingOf(mine, "booking.rejected", "in_app")?.source, "org")
            assert.deepStrictEqual(settingOf(mine, "booking.approved", "email")?.source, "default")
            assert.deepStrictEqual(settingOf(mine, "mission.invitation", "email")?.source, "mandatory")

            for (const person of [picky, plain]) {
              const booking = yield* pendingBooking(person, owner)
              assert.strictEqual((yield* post(owner, `/v1/bookings/${booking.id}/reject`)).status, 200)
            }
            yield* deliver
            assert.deepStrictEqual(yield* eventsOf(picky), [], "in-app off by the org's default")
            assert.deepStrictEqual(yield* eventsOf(plain), [], "in-app off by the org's default")
            assert.strictEqual(mailsTo(picky.email).length, 0, "email off by the account's own switch")
            assert.strictEqual(mailsTo(plain.email).length, 1, "email on by default")
            assert.strictEqual(mailsTo(plain.email)[0]!.headers.subject, "Your booking was rejected")

            const mandatory = yield* setMine(picky, [
              { event: "password_reset", channel: "email", enabled: false }
            ])
            assert.strictEqual(mandatory.status, 400, mandatory.text)
            const unknownChannel = yield* setMine(picky, [
              { event: "invitation", channel: "in_app", enabled: true }
            ])
            assert.strictEqual(unknownChannel.status, 400, unknownChannel.text)
            const reset = yield* setMine(picky, [
              { event: "booking.rejected", channel: "email", enabled: null }
            ])
            assert.strictEqual(settingOf(reset, "booking.rejected", "email")?.source, "default")
            const read = yield* call("GET", "/v1/me/notification-preferences", as(picky))
            assert.strictEqual(settingOf(read, "booking.rejected", "email")?.enabled, true)
            const orgRead = yield* call("GET", "/v1/notification-defaults", as(plain))
            assert.strictEqual(settingOf(orgRead, "booking.rejected", "in_app")?.enabled, false)
          })
      )

      it.effect("a password reset mailed over SMTP: its link resets the password", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const requested = yield* call("POST", "/v1/auth/password-reset/request", {
            body: { email: owner.email }
          })
          assert.strictEqual(requested.status, 202)
          const mails = yield* awaitMails(owner.email)
          assert.strictEqual(mails.length, 1)
          const mail = mails[0]!
          assert.strictEqual(mail.headers.subject, "Reset your Rota password")
          assert.strictEqual(mail.headers.from, from)
          const token = /^Token: (\S+)$/m.exec(mail.text)?.[1]
          assert.isString(token)
          assert.include(mail.html, token!, "the HTML part carries the link too")
          assert.deepStrictEqual((yield* eventsOf(owner)).length, 0, "a secret link is never stored in-app")

          const confirmed = yield* call("POST", "/v1/auth/password-reset/confirm", {
            body: { token, password: "Brand-New-Secret-1" }
          })
          assert.strictEqual(confirmed.status, 204, confirmed.text)
          const login = yield* call("POST", "/v1/auth/login", {
            body: { login: owner.email, password: "Brand-New-Secret-1" }
          })
          assert.strictEqual(login.status, 200)
        })
      )

      it.effect(
        "a mission invitation: in-app without its token, by email with it; the answer reaches the managers",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const manager = yield* addMember(owner, "manager")
            const tech = yield* addMember(owner, "technician")
            const mission = yield* createMission(owner)
            const invited = yield* invite(owner, mission.id, tech.accountId)
            yield* deliver
            const [notice] = (yield* inbox(tech)).items
            assert.strictEqual(notice?.event, "mission.invitation")
            assert.include(notice!.title, "Stage build")
            const [mail] = mailsTo(tech.email)
            const token = /^Token: (\S+)$/m.exec(mail?.text ?? "")?.[1]
            assert.isString(token)
            assert.notInclude(notice!.body, token!)
            assert.notInclude(notice!.title, token!)

            const answered = yield* call("POST", "/v1/assignments/respond", {
              body: { token, decision: "DECLINED" }
            })
            assert.strictEqual(answered.status, 200, answered.text)
            yield* deliver
            for (const person of [owner, manager]) {
              const found = (yield* inbox(person)).items.filter((n) => n.event === "assignment.declined")
              assert.strictEqual(found.length, 1, person.email)
              assert.strictEqual(found[0]!.subjectId, invited.id)
              const mails = mailsTo(person.email).filter(
                (mail) => mail.headers.subject === "A mission invitation was declined"
              )
              assert.strictEqual(mails.length, 1, `mails to ${person.email}`)
              assert.include(mails[0]!.text, invited.id)
            }
            assert.deepStrictEqual(yield* eventsOf(tech), ["mission.invitation"])
          })
      )

      it.effect(
        "interventions: the assigned technician is told; the client hears each status change, waiting for parts and completion",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const tech = yield* addMember(owner, "technician")
            const client = yield* addMember(owner, "member", "client")
            let intervention = yield* createIntervention(owner, {
              clientId: client.accountId,
              assigneeIds: [tech.accountId],
              title: "Pump seal"
            })
            for (const status of ["IN_PROGRESS", "WAITING_PARTS", "IN_PROGRESS", "COMPLETED"]) {
              const moved = yield* move(owner, intervention, status)
              assert.strictEqual(moved.status, 200, moved.text)
              intervention = body<Intervention>(moved)
              yield* deliver
            }
            assert.deepStrictEqual(yield* eventsOf(tech), ["intervention.assigned"])
            assert.deepStrictEqual(
              mailsTo(tech.email).map((mail) => mail.headers.subject),
              [`Intervention ${intervention.number} "Pump seal" is assigned to you`]
            )
            assert.deepStrictEqual(yield* eventsOf(client), [
              "intervention.completed",
              "intervention.status_changed",
              "intervention.waiting_parts",
              "intervention.status_changed"
            ])
            const subjects = mailsTo(client.email).map((mail) => mail.headers.subject)
            assert.include(subjects, `Intervention ${intervention.number} "Pump seal" is waiting for parts`)
            assert.include(subjects, `Intervention ${intervention.number} "Pump seal" is completed`)
            assert.strictEqual(subjects.length, 4)
          })
      )

      it.effect("a part reaching its reorder level tells who restocks, once", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const manager = yield* addMember(owner, "manager")
          const member = yield* addMember(owner, "member")
          const part = yield* createPart(owner, { quantityOnHand: 5, reorderLevel: 2 })
          for (const delta of [-2, -1, -1]) {
            const adjusted = yield* call("POST", `/v1/parts/${part.id}/adjust`, {
              ...as(owner),
              body: { delta, reason: "used" }
            })
            assert.strictEqual(adjusted.status, 200, adjusted.text)
          }
          yield* deliver
          for (const person of [owner, manager]) {
            const found = (yield* inbox(person)).items.filter((n) => n.event === "part.below_reorder_level")
            assert.strictEqual(found.length, 1, person.email)
            assert.include(found[0]!.body, "2 on hand")
            const mails = mailsTo(person.email).filter(
              (mail) => mail.headers["x-rota-topic"] === "part.below_reorder_level"
            )
            assert.strictEqual(mails.length, 1, `mails to ${person.email}`)
            assert.include(mails[0]!.text, "2 on hand")
          }
          assert.deepStrictEqual(yield* eventsOf(member), [])
        })
      )

      it.effect("a checked-out booking due back within the hour is reminded once; a later one not yet", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const member = yield* addMember(owner, "member")
          const resource = yield* createResource(owner)
          const soon = new Date(Date.now() + 60_000)
          const checkedOut = []
          for (const hours of [0.5, 3]) {
            const unit = yield* createUnit(owner, resource.id)
            const booking = bookingOf(
              yield* book(member, {
                startAt: soon.toISOString(),
                endAt: new Date(soon.getTime() + hours * 3_600_000).toISOString(),
                items: [{ unitId: unit.id }]
              })
            )
            assert.strictEqual((yield* post(owner, `/v1/bookings/${booking.id}/approve`)).status, 200)
            const out = yield* post(owner, `/v1/bookings/${booking.id}/check-out`)
            assert.strictEqual(out.status, 200, out.text)
            checkedOut.push(bookingOf(out))
          }
          yield* deliver
          const before = (yield* eventsOf(member)).length
          const { sendReminders } = yield* TestServer.TestServer
          assert.isAtLeast(yield* sendReminders, 1)
          assert.strictEqual(yield* sendReminders, 0, "each reminder once")
          yield* deliver
          const reminded = (yield* inbox(member)).items.filter((n) => n.event === "booking.due_soon")
          assert.deepStrictEqual(
            reminded.map((n) => n.subjectId),
            [checkedOut[0]!.id]
          )
          assert.strictEqual((yield* eventsOf(member)).length, before + 1)
          const mails = mailsTo(member.email).filter(
            (mail) => mail.headers.subject === "Your booking is due back soon"
          )
          assert.strictEqual(mails.length, 1)
          assert.include(mails[0]!.text, checkedOut[0]!.endAt.slice(0, 16))
        })
      )

      it.effect(
        "an SMTP failure for one recipient is retried for that one only; the others get one mail",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const manager = yield* addMember(owner, "manager")
            const member = yield* addMember(owner, "member")
            smtp.refuseOnce.add(manager.email)
            yield* pendingBooking(member, owner)
            yield* deliver
            assert.strictEqual(mailsTo(owner.email).length, 1)
            assert.strictEqual(mailsTo(manager.email).length, 0, "refused once")
            const sql = yield* SqlClient.SqlClient
            const [failed] = yield* Effect.orDie(
              sql<{ attempts: number; last_error: string | null }>`
                SELECT attempts, last_error FROM outbox_messages
                WHERE org_id = ${owner.orgId} AND topic = 'booking.created'`
            )
            assert.strictEqual(failed?.attempts, 1)
            assert.include(failed?.last_error ?? "", "smtp")
            assert.notInclude(failed?.last_error ?? "", "127.0.0.1", "the SMTP URL stays out of errors")

            // The retry, when it is due.
            yield* Effect.orDie(
              sql`UPDATE outbox_messages SET available_at = now() - interval '1 second' WHERE delivered_at IS NULL`
            )
            yield* deliver
            assert.strictEqual(mailsTo(manager.email).length, 1)
            assert.strictEqual(mailsTo(owner.email).length, 1, "not sent again")
            assert.strictEqual((yield* inbox(owner)).items.length, 1)
            assert.strictEqual((yield* inbox(manager)).items.length, 1)
          })
      )
    })
  })
}
