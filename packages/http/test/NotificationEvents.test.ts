/**
 * Each notification event end to end, for the events the delivery test leaves out: the job or
 * request that writes its message runs (the overdue scan, the offer expiry and the reminders on
 * a clock moved ahead, the maintenance job), then the outbox is delivered to the real server's
 * dispatcher, and the person concerned finds it in their inbox and in the mail a real SMTP
 * server in this process received. Nobody else is told.
 */
import { afterAll, assert, describe, layer } from "@effect/vitest"
import { Bookings, Ids, Interventions, MaintenancePlans, Offers } from "@rota/core"
import { Storage } from "@rota/storage-pg"
import { Clock, Effect, Layer, Redacted } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { at, book, bookingOf, idempotencyKey } from "./fixtures/Bookings.ts"
import { createMission, invite } from "./fixtures/Crews.ts"
import { addMember, body, call, freshPerson, registerOwner } from "./fixtures/Http.ts"
import { as } from "./fixtures/Interventions.ts"
import { createResource, createUnit } from "./fixtures/Inventory.ts"
import { from, type NotificationBody, type Person } from "./fixtures/Notifications.ts"
import * as Smtp from "./fixtures/Smtp.ts"
import * as Stores from "./fixtures/Stores.ts"

const smtp = await Smtp.start()
afterAll(() => smtp.close())

const deliver = Effect.gen(function* () {
  const { deliverOutbox } = yield* TestServer.TestServer
  // A message written on a clock moved ahead is due from that clock's time: due now, here. A
  // second back, since PostgreSQL's now() has microseconds and the leasing clock milliseconds: in
  // the same millisecond, "now" would not yet be due.
  const sql = yield* SqlClient.SqlClient
  yield* Effect.orDie(
    sql`UPDATE outbox_messages SET available_at = now() - interval '1 second' WHERE delivered_at IS NULL`
  )
  // Some requests write after answering; a second pass picks up what the first one missed.
  yield* deliverOutbox
  yield* deliverOutbox
})

const inbox = (person: Person) =>
  Effect.map(call("GET", "/v1/notifications?limit=100", as(person)), (answer) => {
    assert.strictEqual(answer.status, 200, answer.text)
    return body<{ items: ReadonlyArray<NotificationBody> }>(answer).items
  })

const eventsOf = (person: Person) => Effect.map(inbox(person), (items) => items.map((n) => n.event))

const mailsTo = (email: string) => smtp.received.filter((mail) => mail.rcptTo.includes(email))

const post = (person: Person, path: string) =>
  call("POST", path, as(person, { "idempotency-key": idempotencyKey() }))

/**
 * The one notification of `event` the person has, checked in-app and by mail: same title as
 * subject, the subject it names, the outbox topic in the mail's header. Answers both.
 */
const toldOnce = (person: Person, event: string, subjectId: string, topic: string) =>
  Effect.gen(function* () {
    const found = (yield* inbox(person)).filter((n) => n.event === event)
    assert.strictEqual(found.length, 1, `${event} in-app for ${person.email}`)
    const notice = found[0]!
    assert.strictEqual(notice.subjectId, subjectId, event)
    const mails = mailsTo(person.email).filter((mail) => mail.headers["x-rota-topic"] === topic)
    assert.strictEqual(mails.length, 1, `${event} mails to ${person.email}`)
    const mail = mails[0]!
    assert.strictEqual(mail.headers.subject, notice.title)
    assert.strictEqual(mail.headers.from, from)
    assert.include(mail.text, notice.body.slice(0, 40))
    assert.include(mail.html, "<p>")
    return { notice, mail }
  })

// A clock `minutes` ahead of the real one, for the jobs that act once time has passed.
const clockAhead = (minutes: number): Clock.Clock => {
  const ahead = () => Date.now() + minutes * 60_000
  return {
    currentTimeMillisUnsafe: ahead,
    currentTimeMillis: Effect.sync(ahead),
    currentTimeNanosUnsafe: () => BigInt(ahead()) * 1_000_000n,
    currentTimeNanos: Effect.sync(() => BigInt(ahead()) * 1_000_000n),
    monotonicTimeNanosUnsafe: () => process.hrtime.bigint(),
    monotonicTimeNanos: Effect.sync(() => process.hrtime.bigint()),
    sleep: () => Effect.void
  }
}

// The server's job use cases over the test's database, as its scheduler runs them.
const jobs = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* effect.pipe(
      Effect.provide(
        Layer.mergeAll(
          Bookings.layer.pipe(Layer.provideMerge(Offers.layer)),
          MaintenancePlans.layer.pipe(Layer.provide(Interventions.layer))
        ).pipe(
          Layer.provideMerge(Storage.layer),
          Layer.provideMerge(Ids.Ids.layer),
          Layer.provide(Layer.succeed(SqlClient.SqlClient, sql))
        )
      )
    )
  })

const expireOffers = (minutesAhead: number) =>
  jobs(Effect.flatMap(Effect.service(Offers.Offers), (offers) => offers.expireDue)).pipe(
    Effect.provideService(Clock.Clock, clockAhead(minutesAhead))
  )

const markOverdue = jobs(
  Effect.flatMap(Effect.service(Bookings.Bookings), (bookings) => bookings.markOverdue)
)

const generateMaintenance = jobs(
  Effect.flatMap(Effect.service(MaintenancePlans.MaintenancePlans), (plans) => plans.generateDue)
)

// Moves a booking (and its ledger time) `hours` into the past, as if time had passed.
const shiftIntoPast = (bookingId: string, hours: number) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    const by = `${hours} hours`
    yield* Effect.orDie(
      sql.withTransaction(
        Effect.gen(function* () {
          yield* sql`UPDATE bookings SET start_at = start_at - ${by}::interval, end_at = end_at - ${by}::interval
            WHERE id = ${bookingId}`
          yield* sql`UPDATE allocations SET during = tstzrange(lower(during) - ${by}::interval,
            upper(during) - ${by}::interval, '[)') WHERE source_type = 'booking' AND source_id = ${bookingId}`
        })
      )
    )
  })

const tokenIn = (text: string) => {
  const token = /^Token: (\S+)$/m.exec(text)?.[1]
  assert.isString(token, "the mail carries a token")
  return token!
}

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer, { smtpUrl: Redacted.make(smtp.url), mailFrom: from }), {
      timeout: 120_000,
      excludeTestServices: true
    })("notification events", (it) => {
      it.effect(
        "a waitlist offer: made, expiring (reminder, once), expired, each in-app and by SMTP to its requester only",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const waiting = yield* addMember(owner, "member", "waiting")
            const resource = yield* createResource(owner)
            const unit = yield* createUnit(owner, resource.id)
            const taken = bookingOf(
              yield* book(owner, { startAt: at(0), endAt: at(1), items: [{ unitId: unit.id }] })
            )
            const joined = yield* call("POST", "/v1/waitlist", {
              ...as(waiting),
              body: { resourceId: resource.id, startAt: at(0), endAt: at(1), purpose: "Waiting" }
            })
            assert.strictEqual(joined.status, 201, joined.text)
            const entryId = body<{ id: string }>(joined).id
            assert.strictEqual((yield* post(owner, `/v1/bookings/${taken.id}/cancel`)).status, 200)
            yield* deliver
            const made = yield* toldOnce(waiting, "waitlist.offer_made", entryId, "waitlist.offered")
            assert.strictEqual(made.notice.title, "A unit is offered to you")
            assert.include(made.mail.text, `/v1/waitlist/${entryId}/accept`)

            // The offer lasts 10 minutes: 8 minutes on, it expires within the reminder's 3.
            const { sendReminders } = yield* TestServer.TestServer
            assert.isAtLeast(yield* sendReminders.pipe(Effect.provideService(Clock.Clock, clockAhead(8))), 1)
            assert.strictEqual(
              yield* sendReminders.pipe(Effect.provideService(Clock.Clock, clockAhead(8))),
              0,
              "reminded once"
            )
            yield* deliver
            const expiring = yield* toldOnce(
              waiting,
              "waitlist.offer_expiring",
              entryId,
              "waitlist.offer_expiring"
            )
            assert.strictEqual(expiring.notice.title, "Your offer expires soon")

            assert.isAtLeast(yield* expireOffers(11), 1)
            yield* deliver
            const expired = yield* toldOnce(waiting, "waitlist.offer_expired", entryId, "waitlist.expired")
            assert.strictEqual(expired.notice.title, "Your offer expired")

            assert.deepStrictEqual(yield* eventsOf(waiting), [
              "waitlist.offer_expired",
              "waitlist.offer_expiring",
              "waitlist.offer_made"
            ])
            assert.notInclude(yield* eventsOf(owner), "waitlist.offer_made", "only the requester is told")
          })
      )

      it.effect(
        "a pending weekly series of four tells each approver once, of the series, and of none of its bookings; an auto-approved one tells nobody",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const manager = yield* addMember(owner, "manager")
            const member = yield* addMember(owner, "member", "weekly")
            const unit = yield* createUnit(owner, (yield* createResource(owner)).id)
            // Series start on whole minutes: the next whole hour two days ahead.
            const start = Math.ceil((Date.now() + 48 * 3_600_000) / 3_600_000) * 3_600_000
            const series = (person: Person, weeksLater: number) =>
              call("POST", "/v1/booking-series", {
                ...as(person, { "idempotency-key": idempotencyKey() }),
                body: {
                  purpose: "Weekly lesson",
                  startAt: new Date(start + weeksLater * 7 * 24 * 3_600_000).toISOString(),
                  endAt: new Date(start + (weeksLater * 7 * 24 + 1) * 3_600_000).toISOString(),
                  items: [{ unitId: unit.id }],
                  rule: "FREQ=WEEKLY;COUNT=4"
                }
              })
            const pending = yield* series(member, 0)
            assert.strictEqual(pending.status, 201, pending.text)
            const { id, occurrences } = body<{
              id: string
              occurrences: ReadonlyArray<{ outcome: string }>
            }>(pending)
            assert.deepStrictEqual(
              occurrences.map((occurrence) => occurrence.outcome),
              ["created", "created", "created", "created"]
            )
            // The owner's series is approved at once: nothing for an approver to do.
            const approved = yield* series(owner, 10)
            assert.strictEqual(approved.status, 201, approved.text)
            yield* deliver

            for (const approver of [owner, manager]) {
              const told = yield* toldOnce(approver, "booking_series.submitted", id, "booking_series.created")
              assert.strictEqual(told.notice.title, "A booking series waits for your approval")
              assert.strictEqual(told.notice.subjectType, "booking_series")
              assert.include(told.mail.text, "4 of its bookings need an approver")
              assert.deepStrictEqual(yield* eventsOf(approver), ["booking_series.submitted"])
            }
            assert.deepStrictEqual(yield* eventsOf(member), [], "the requester is not asked to approve")
          })
      )

      it.effect(
        "a late return: the borrower hears it is overdue and of the fine, the next borrower that the unit is not back",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const late = yield* addMember(owner, "member", "late")
            const next = yield* addMember(owner, "member", "next")
            const resource = yield* createResource(owner)
            const unit = yield* createUnit(owner, resource.id)
            const items = [{ unitId: unit.id }]
            const first = bookingOf(yield* book(late, { startAt: at(0), endAt: at(1), items }))
            assert.strictEqual((yield* post(owner, `/v1/bookings/${first.id}/approve`)).status, 200)
            const second = bookingOf(yield* book(next, { startAt: at(1), endAt: at(2), items }))
            assert.strictEqual((yield* post(owner, `/v1/bookings/${second.id}/approve`)).status, 200)
            const out = yield* post(owner, `/v1/bookings/${first.id}/check-out`)
            assert.strictEqual(out.status, 200, out.text)

            yield* shiftIntoPast(first.id, 27)
            assert.isAtLeast(yield* markOverdue, 1)
            yield* deliver
            const overdue = yield* toldOnce(late, "booking.overdue", first.id, "booking.overdue")
            assert.strictEqual(overdue.notice.title, "Your booking is overdue")
            const notBack = yield* toldOnce(
              next,
              "booking.unit_not_returned",
              second.id,
              "booking.unit_not_returned"
            )
            assert.strictEqual(notBack.notice.title, "The unit you booked is not back yet")

            const returned = yield* post(owner, `/v1/bookings/${first.id}/return`)
            assert.strictEqual(returned.status, 200, returned.text)
            yield* deliver
            const fines = body<{ items: ReadonlyArray<{ id: string; amount: number }> }>(
              yield* call("GET", "/v1/fines", as(late))
            ).items
            assert.strictEqual(fines.length, 1)
            const fine = yield* toldOnce(late, "fine.issued", fines[0]!.id, "fine.created")
            assert.strictEqual(fine.notice.title, "A fine was issued to you")
            assert.include(fine.mail.text, `${fines[0]!.amount} `)

            assert.deepStrictEqual(yield* eventsOf(next), ["booking.unit_not_returned", "booking.approved"])
            assert.notInclude(yield* eventsOf(late), "booking.unit_not_returned")
          })
      )

      it.effect("an accepted mission invitation reaches the managers in-app and by SMTP", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const manager = yield* addMember(owner, "manager")
          const tech = yield* addMember(owner, "technician")
          const mission = yield* createMission(owner)
          const invited = yield* invite(owner, mission.id, tech.accountId)
          yield* deliver
          const [invitation] = mailsTo(tech.email)
          const answered = yield* call("POST", "/v1/assignments/respond", {
            body: { token: tokenIn(invitation?.text ?? ""), decision: "ACCEPTED" }
          })
          assert.strictEqual(answered.status, 200, answered.text)
          yield* deliver
          for (const person of [owner, manager]) {
            const accepted = yield* toldOnce(
              person,
              "assignment.accepted",
              invited.id,
              "assignment.status_changed"
            )
            assert.strictEqual(accepted.notice.title, "A mission invitation was accepted")
          }
          assert.deepStrictEqual(yield* eventsOf(tech), ["mission.invitation"])
        })
      )

      it.effect("an invitation to the organisation is mailed over SMTP, and its token joins", () =>
        Effect.gen(function* () {
          const owner = yield* registerOwner()
          const newcomer = freshPerson("newcomer")
          const created = yield* call("POST", "/v1/invitations", {
            ...as(owner, { "idempotency-key": idempotencyKey() }),
            body: { email: newcomer.email, role: "technician" }
          })
          assert.strictEqual(created.status, 201, created.text)
          yield* deliver
          const mails = mailsTo(newcomer.email)
          assert.strictEqual(mails.length, 1)
          const mail = mails[0]!
          assert.strictEqual(mail.headers.subject, "You are invited to an organisation on Rota")
          assert.strictEqual(mail.headers.from, from)
          assert.include(mail.text, "as technician")
          const token = tokenIn(mail.text)
          assert.include(mail.html, token, "the HTML part carries the link too")

          const accepted = yield* call("POST", "/v1/invitations/accept", {
            body: {
              token,
              password: newcomer.password,
              fullName: newcomer.fullName,
              username: newcomer.username
            }
          })
          assert.strictEqual(accepted.status, 200, accepted.text)
          assert.deepStrictEqual(
            [body<{ orgId: string; role: string }>(accepted).orgId, body<{ role: string }>(accepted).role],
            [owner.orgId, "technician"]
          )
          const login = yield* call("POST", "/v1/auth/login", {
            body: { login: newcomer.username, password: newcomer.password }
          })
          assert.strictEqual(login.status, 200, login.text)

          // Delivered again, the invitation is not mailed twice.
          const sql = yield* SqlClient.SqlClient
          yield* Effect.orDie(
            sql`UPDATE outbox_messages SET delivered_at = NULL, leased_until = NULL, available_at = now() - interval '1 second'
              WHERE org_id = ${owner.orgId}`
          )
          yield* deliver
          assert.strictEqual(mailsTo(newcomer.email).length, 1)
        })
      )

      it.effect(
        "maintenance due: the job opens the preventive intervention and tells the plan's technician and the managers, once",
        () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const manager = yield* addMember(owner, "manager")
            const tech = yield* addMember(owner, "technician")
            const otherTech = yield* addMember(owner, "technician", "other")
            const member = yield* addMember(owner, "member")
            const resource = yield* createResource(owner)
            const created = yield* call("POST", "/v1/maintenance-plans", {
              ...as(owner),
              body: {
                title: "Weekly inspection",
                resourceId: resource.id,
                recurrence: { type: "interval", every: 1, unit: "week" },
                startsOn: new Date().toISOString().slice(0, 10),
                // A week's lead: exactly one due date, the next one, has its lead time come.
                leadTimeDays: 7,
                defaultAssigneeId: tech.accountId
              }
            })
            assert.strictEqual(created.status, 201, created.text)
            const plan = body<{ id: string; nextDueAt: string }>(created)

            assert.strictEqual(yield* generateMaintenance, 1)
            assert.strictEqual(yield* generateMaintenance, 0, "each due date opens once")
            yield* deliver
            const sql = yield* SqlClient.SqlClient
            const [occurrence] = yield* Effect.orDie(
              sql<{ intervention_id: string }>`
                SELECT intervention_id FROM maintenance_occurrences WHERE plan_id = ${plan.id}`
            )
            const interventionId = occurrence!.intervention_id
            const opened = body<{ number: string; kind: string; assigneeIds: ReadonlyArray<string> }>(
              yield* call("GET", `/v1/interventions/${interventionId}`, as(owner))
            )
            assert.strictEqual(opened.kind, "PREVENTIVE")

            for (const person of [tech, owner, manager]) {
              const due = yield* toldOnce(person, "maintenance.due", interventionId, "maintenance.due")
              assert.strictEqual(
                due.notice.title,
                `Maintenance due: Intervention ${opened.number} "Weekly inspection"`
              )
              assert.strictEqual(due.notice.subjectType, "intervention")
              assert.include(due.notice.body, plan.nextDueAt)
              assert.include(due.mail.text, plan.id)
            }
            assert.notInclude(yield* eventsOf(otherTech), "maintenance.due", "not the plan's technician")
            assert.deepStrictEqual(yield* eventsOf(member), [])
          })
      )
    })
  })
}
