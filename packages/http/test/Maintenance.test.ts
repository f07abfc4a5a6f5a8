/**
 * Preventive maintenance over HTTP: plans (CRUD, pause/resume, next due dates in the org's time
 * zone), the background job opening each due date's PREVENTIVE intervention once, the planning
 * view, and the ledger rules (approved leave and an intervention's unit hold time).
 */
import { assert, describe, layer } from "@effect/vitest"
import { Effect } from "effect"
import { SqlClient } from "effect/sql"
import { TestServer } from "../src/testing.ts"
import { type Answer, addMember, body, call, registerOwner } from "./fixtures/Http.ts"
import { as, createIntervention, type Intervention } from "./fixtures/Interventions.ts"
import { createResource, createUnit } from "./fixtures/Inventory.ts"
import * as Stores from "./fixtures/Stores.ts"

type Org = { readonly token: string; readonly orgId: string; readonly accountId: string }
interface Plan {
  readonly id: string
  readonly version: number
  readonly status: string
  readonly nextDueAt: string | null
  readonly resourceId: string
  readonly [field: string]: unknown
}

const expectStatus = (answer: Answer, status: number) =>
  assert.strictEqual(answer.status, status, answer.text)

const parisOrg = Effect.gen(function* () {
  const owner = yield* registerOwner()
  const org = yield* call("GET", "/v1/org", as(owner))
  expectStatus(org, 200)
  const version = body<{ version: number }>(org).version
  expectStatus(
    yield* call("PATCH", "/v1/org", {
      ...as(owner, { "if-match": `"${version}"` }),
      body: { timezone: "Europe/Paris" }
    }),
    200
  )
  return owner
})

const createPlan = (org: Org, fields: object) =>
  Effect.gen(function* () {
    const answer = yield* call("POST", "/v1/maintenance-plans", {
      ...as(org),
      body: {
        title: "Quarterly inspection",
        recurrence: { type: "interval", every: 1, unit: "day" },
        ...fields
      }
    })
    expectStatus(answer, 201)
    return body<Plan>(answer)
  })

const dayAfterTomorrow = () => new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)

// The preventive interventions a plan opened, read from the store: the timeline and audit of
// each are checked through the API.
const openedBy = (planId: string) =>
  Effect.gen(function* () {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ due_at: Date; intervention_id: string }>`
      SELECT due_at, intervention_id FROM maintenance_occurrences WHERE plan_id = ${planId} ORDER BY due_at`
  }).pipe(Effect.orDie)

const waitFor = <A, R>(effect: Effect.Effect<A, never, R>, done: (a: A) => boolean, seconds = 40) =>
  Effect.gen(function* () {
    const deadline = Date.now() + seconds * 1000
    while (true) {
      const value = yield* effect
      if (done(value) || Date.now() > deadline) return value
      yield* Effect.sleep("500 millis")
    }
  })

for (const store of Stores.stores()) {
  describe(store.name, () => {
    layer(TestServer.layer(store.layer, { jobs: true }), { timeout: 180_000, excludeTestServices: true })(
      "maintenance plans",
      (it) => {
        it.effect("next due dates follow the org's time zone across the spring-forward change", () =>
          Effect.gen(function* () {
            const owner = yield* parisOrg
            const resource = yield* createResource(owner)
            const plan = yield* createPlan(owner, {
              resourceId: resource.id,
              startsOn: "2027-03-27",
              at: "02:30"
            })
            assert.strictEqual(plan.status, "ACTIVE")
            assert.strictEqual(plan.nextDueAt, "2027-03-27T01:30:00.000Z")
            const answer = yield* call(
              "GET",
              `/v1/maintenance-plans/${plan.id}/occurrences?count=3`,
              as(owner)
            )
            expectStatus(answer, 200)
            // 02:30 CET; 02:30 does not exist on the 28th, so 03:30 CEST; then 02:30 CEST.
            assert.deepStrictEqual(body<{ items: Array<string> }>(answer).items, [
              "2027-03-27T01:30:00.000Z",
              "2027-03-28T01:30:00.000Z",
              "2027-03-29T00:30:00.000Z"
            ])
            const monthly = yield* createPlan(owner, {
              resourceId: resource.id,
              startsOn: "2027-10-01",
              recurrence: { type: "cron", expression: "30 2 * * 0" }
            })
            const sundays = yield* call(
              "GET",
              `/v1/maintenance-plans/${monthly.id}/occurrences?count=6`,
              as(owner)
            )
            expectStatus(sundays, 200)
            // Sundays at 02:30 in Paris: the 31 October one (fall back) once, at CEST.
            assert.deepStrictEqual(body<{ items: Array<string> }>(sundays).items, [
              "2027-10-03T00:30:00.000Z",
              "2027-10-10T00:30:00.000Z",
              "2027-10-17T00:30:00.000Z",
              "2027-10-24T00:30:00.000Z",
              "2027-10-31T00:30:00.000Z",
              "2027-11-07T01:30:00.000Z"
            ])
            expectStatus(
              yield* call("GET", `/v1/maintenance-plans/${plan.id}/occurrences?count=0`, as(owner)),
              400
            )
            expectStatus(
              yield* call("GET", `/v1/maintenance-plans/${plan.id}/occurrences?count=101`, as(owner)),
              400
            )
          })
        )

        it.effect("refuses a plan without equipment, a bad cron, a non-technician assignee; roles", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const tech = yield* addMember(owner, "technician")
            const member = yield* addMember(owner, "member")
            const resource = yield* createResource(owner)
            const post = (org: Org, fields: object) =>
              call("POST", "/v1/maintenance-plans", {
                ...as(org),
                body: {
                  title: "Check",
                  startsOn: "2030-01-01",
                  recurrence: { type: "interval", every: 2, unit: "week" },
                  ...fields
                }
              })
            expectStatus(yield* post(owner, {}), 400)
            expectStatus(
              yield* post(owner, {
                resourceId: resource.id,
                recurrence: { type: "cron", expression: "every day" }
              }),
              400
            )
            expectStatus(yield* post(owner, { resourceId: resource.id, startsOn: "2030-02-30" }), 400)
            const notTech = yield* post(owner, {
              resourceId: resource.id,
              defaultAssigneeId: member.accountId
            })
            expectStatus(notTech, 400)
            assert.deepStrictEqual(
              body<{ errors: Array<{ path: Array<string> }> }>(notTech).errors[0]!.path,
              ["body", "defaultAssigneeId"]
            )
            expectStatus(yield* post(tech, { resourceId: resource.id }), 403)
            expectStatus(yield* post(member, { resourceId: resource.id }), 403)
            const plan = body<Plan>(
              yield* post(owner, { resourceId: resource.id, checklist: ["Oil", "Filters"] })
            )
            expectStatus(yield* call("GET", `/v1/maintenance-plans/${plan.id}`, as(tech)), 200)
            expectStatus(yield* call("GET", `/v1/maintenance-plans/${plan.id}`, as(member)), 403)
            const listed = yield* call("GET", `/v1/maintenance-plans?resourceId=${resource.id}`, as(tech))
            expectStatus(listed, 200)
            assert.deepStrictEqual(
              body<{ items: Array<Plan> }>(listed).items.map((p) => p.id),
              [plan.id]
            )
            // Another org's plan does not exist.
            const other = yield* registerOwner()
            expectStatus(yield* call("GET", `/v1/maintenance-plans/${plan.id}`, as(other)), 404)
          })
        )

        it.effect(
          "pause stops the plan, resume goes on from now; edits need If-Match; delete and restore",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const resource = yield* createResource(owner)
              const plan = yield* createPlan(owner, { resourceId: resource.id, startsOn: "2030-01-01" })
              assert.strictEqual(plan.nextDueAt, "2030-01-01T09:00:00.000Z")
              const paused = yield* call("POST", `/v1/maintenance-plans/${plan.id}/pause`, as(owner))
              expectStatus(paused, 200)
              assert.deepStrictEqual(
                [body<Plan>(paused).status, body<Plan>(paused).nextDueAt],
                ["PAUSED", null]
              )
              const again = yield* call("POST", `/v1/maintenance-plans/${plan.id}/pause`, as(owner))
              assert.strictEqual(body<Plan>(again).version, body<Plan>(paused).version)
              const resumed = yield* call("POST", `/v1/maintenance-plans/${plan.id}/resume`, as(owner))
              expectStatus(resumed, 200)
              assert.deepStrictEqual(
                [body<Plan>(resumed).status, body<Plan>(resumed).nextDueAt],
                ["ACTIVE", "2030-01-01T09:00:00.000Z"]
              )
              expectStatus(
                yield* call("PATCH", `/v1/maintenance-plans/${plan.id}`, {
                  ...as(owner),
                  body: { at: "07:15" }
                }),
                428
              )
              const moved = yield* call("PATCH", `/v1/maintenance-plans/${plan.id}`, {
                ...as(owner, { "if-match": `"${body<Plan>(resumed).version}"` }),
                body: { at: "07:15", leadTimeDays: 5 }
              })
              expectStatus(moved, 200)
              assert.strictEqual(body<Plan>(moved).nextDueAt, "2030-01-01T07:15:00.000Z")
              expectStatus(yield* call("DELETE", `/v1/maintenance-plans/${plan.id}`, as(owner)), 204)
              expectStatus(yield* call("GET", `/v1/maintenance-plans/${plan.id}`, as(owner)), 404)
              const restored = yield* call("POST", `/v1/maintenance-plans/${plan.id}/restore`, as(owner))
              expectStatus(restored, 200)
              assert.strictEqual(body<Plan>(restored).nextDueAt, "2030-01-01T07:15:00.000Z")
            })
        )

        it.effect(
          "the job opens each due date's PREVENTIVE intervention once: assigned, scheduled, on the unit, audited",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const tech = yield* addMember(owner, "technician")
              const resource = yield* createResource(owner)
              const unit = yield* createUnit(owner, resource.id)
              const startsOn = dayAfterTomorrow()
              const plan = yield* createPlan(owner, {
                unitId: unit.id,
                startsOn,
                at: "10:00",
                leadTimeDays: 4,
                estimatedMinutes: 90,
                defaultAssigneeId: tech.accountId,
                checklist: ["Grease the bearings"],
                priority: "HIGH"
              })
              assert.strictEqual(plan.resourceId, resource.id)
              // Due dates within 4 days from now: the first two or three days from the day after tomorrow.
              const expected = body<{ items: Array<string> }>(
                yield* call("GET", `/v1/maintenance-plans/${plan.id}/occurrences?count=5`, as(owner))
              ).items.filter((at) => Date.parse(at) - 4 * 86_400_000 <= Date.now() + 30_000)
              assert.isAtLeast(expected.length, 2)
              const rows = yield* waitFor(openedBy(plan.id), (found) => found.length >= expected.length)
              assert.deepStrictEqual(
                rows.map((row) => row.due_at.toISOString()),
                expected
              )
              for (const [index, row] of rows.entries()) {
                const answer = yield* call("GET", `/v1/interventions/${row.intervention_id}`, as(tech))
                expectStatus(answer, 200)
                const opened = body<Intervention>(answer)
                assert.deepStrictEqual(
                  [
                    opened.kind,
                    opened.priority,
                    opened.unitId,
                    opened.resourceId,
                    opened.assigneeIds,
                    opened.dueAt
                  ],
                  ["PREVENTIVE", "HIGH", unit.id, resource.id, [tech.accountId], expected[index]]
                )
                assert.strictEqual(opened.scheduledStart, expected[index])
                assert.strictEqual(
                  opened.scheduledEnd,
                  new Date(Date.parse(expected[index]!) + 90 * 60_000).toISOString()
                )
                assert.include(String(opened.description), "- [ ] Grease the bearings")
                const events = yield* call("GET", `/v1/interventions/${opened.id}/events`, as(tech))
                const created = body<{ items: Array<{ type: string; actorId: string | null }> }>(events)
                  .items[0]!
                assert.deepStrictEqual([created.type, created.actorId], ["created", null])
              }
              // The technician's and the unit's time is held by those interventions.
              const from = encodeURIComponent(new Date().toISOString())
              const to = encodeURIComponent(new Date(Date.now() + 10 * 86_400_000).toISOString())
              const unitTime = yield* call(
                "GET",
                `/v1/conflicts?unitId=${unit.id}&from=${from}&to=${to}`,
                as(owner)
              )
              expectStatus(unitTime, 200)
              assert.strictEqual(
                body<{ items: Array<unknown> }>(unitTime).items.length,
                expected.length,
                unitTime.text
              )
              // A later run opens nothing again.
              yield* Effect.sleep("11 seconds")
              assert.strictEqual((yield* openedBy(plan.id)).length, expected.length)
              const listed = yield* call(
                "GET",
                `/v1/interventions?kind=PREVENTIVE&resourceId=${resource.id}&limit=100`,
                as(owner)
              )
              assert.strictEqual(body<{ items: Array<unknown> }>(listed).items.length, expected.length)
              // The next pending due date moved past the ones opened.
              const after = body<Plan>(yield* call("GET", `/v1/maintenance-plans/${plan.id}`, as(owner)))
              assert.isTrue(Date.parse(after.nextDueAt!) > Date.parse(expected.at(-1)!))
              assert.strictEqual(after.version, plan.version)
            })
        )

        it.effect("a busy technician does not stop the due date: it opens unassigned", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const tech = yield* addMember(owner, "technician")
            const resource = yield* createResource(owner)
            const startsOn = dayAfterTomorrow()
            const due = new Date(`${startsOn}T08:00:00.000Z`)
            // The technician is already on another job then.
            yield* createIntervention(owner, {
              assigneeIds: [tech.accountId],
              scheduledStart: new Date(due.getTime() - 3_600_000).toISOString(),
              scheduledEnd: new Date(due.getTime() + 3_600_000).toISOString()
            })
            const plan = yield* createPlan(owner, {
              resourceId: resource.id,
              startsOn,
              at: "08:00",
              recurrence: { type: "interval", every: 1, unit: "month" },
              leadTimeDays: 3,
              estimatedMinutes: 30,
              defaultAssigneeId: tech.accountId
            })
            const rows = yield* waitFor(openedBy(plan.id), (found) => found.length >= 1)
            assert.strictEqual(rows.length, 1)
            const opened = body<Intervention>(
              yield* call("GET", `/v1/interventions/${rows[0]!.intervention_id}`, as(owner))
            )
            assert.deepStrictEqual(opened.assigneeIds, [])
            assert.strictEqual(opened.dueAt, due.toISOString())
          })
        )

        it.effect(
          "the planning view shows interventions, bookings, leave and coming maintenance by person and unit",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const tech = yield* addMember(owner, "technician")
              const resource = yield* createResource(owner)
              const unit = yield* createUnit(owner, resource.id)
              const base = Date.parse("2031-05-05T08:00:00.000Z")
              const iso = (hours: number) => new Date(base + hours * 3_600_000).toISOString()
              const work = yield* createIntervention(owner, {
                unitId: unit.id,
                assigneeIds: [tech.accountId],
                scheduledStart: iso(0),
                scheduledEnd: iso(2)
              })
              const booking = yield* call("POST", "/v1/bookings", {
                ...as(owner, { "idempotency-key": crypto.randomUUID() }),
                body: { startAt: iso(4), endAt: iso(6), purpose: "shoot", items: [{ unitId: unit.id }] }
              })
              expectStatus(booking, 201)
              const leave = yield* call("POST", "/v1/availability", {
                ...as(tech),
                body: { kind: "UNAVAILABLE", startAt: iso(24), endAt: iso(48) }
              })
              expectStatus(leave, 201)
              expectStatus(
                yield* call("POST", `/v1/availability/${body<{ id: string }>(leave).id}/approve`, as(owner)),
                200
              )
              const plan = yield* createPlan(owner, {
                unitId: unit.id,
                startsOn: "2031-05-07",
                at: "14:00",
                estimatedMinutes: 60,
                defaultAssigneeId: tech.accountId,
                recurrence: { type: "interval", every: 1, unit: "week" }
              })
              const from = encodeURIComponent(iso(-1))
              const to = encodeURIComponent(iso(24 * 14))
              const view = yield* call("GET", `/v1/schedule?from=${from}&to=${to}`, as(owner))
              expectStatus(view, 200)
              type Entry = { type: string; id: string; startAt: string; endAt: string | null }
              const answer = body<{
                technicians: Array<{ accountId: string; entries: Array<Entry> }>
                units: Array<{ unitId: string; entries: Array<Entry> }>
                maintenance: Array<{ planId: string; dueAt: Array<string> }>
                truncated: boolean
              }>(view)
              const techRow = answer.technicians.find((row) => row.accountId === tech.accountId)!
              assert.deepStrictEqual(
                techRow.entries.map((entry) => [entry.type, entry.startAt]),
                [
                  ["intervention", iso(0)],
                  ["leave", iso(24)],
                  ["maintenance_due", "2031-05-07T14:00:00.000Z"],
                  ["maintenance_due", "2031-05-14T14:00:00.000Z"]
                ]
              )
              assert.strictEqual(techRow.entries[0]!.id, work.id)
              const unitRow = answer.units.find((row) => row.unitId === unit.id)!
              assert.deepStrictEqual(
                unitRow.entries.map((entry) => entry.type),
                ["intervention", "booking", "maintenance_due", "maintenance_due"]
              )
              assert.deepStrictEqual(answer.maintenance, [
                {
                  planId: plan.id,
                  title: "Quarterly inspection",
                  unitId: unit.id,
                  defaultAssigneeId: tech.accountId,
                  dueAt: ["2031-05-07T14:00:00.000Z", "2031-05-14T14:00:00.000Z"]
                } as never
              ])
              assert.isFalse(answer.truncated)
              // Bounded window; managers only.
              const far = encodeURIComponent(iso(24 * 93))
              expectStatus(yield* call("GET", `/v1/schedule?from=${from}&to=${far}`, as(owner)), 400)
              expectStatus(yield* call("GET", `/v1/schedule?from=${to}&to=${from}`, as(owner)), 400)
              expectStatus(yield* call("GET", `/v1/schedule?from=${from}&to=${to}`, as(tech)), 403)
            })
        )

        it.effect(
          "approved leave blocks scheduling the technician; leave over scheduled work is refused",
          () =>
            Effect.gen(function* () {
              const owner = yield* registerOwner()
              const tech = yield* addMember(owner, "technician")
              const base = Date.parse("2031-06-02T08:00:00.000Z")
              const iso = (hours: number) => new Date(base + hours * 3_600_000).toISOString()
              const leave = yield* call("POST", "/v1/availability", {
                ...as(tech),
                body: { kind: "UNAVAILABLE", startAt: iso(0), endAt: iso(24) }
              })
              const leaveId = body<{ id: string }>(leave).id
              // Pending leave blocks nothing yet.
              const before = yield* createIntervention(owner, {
                assigneeIds: [tech.accountId],
                scheduledStart: iso(30),
                scheduledEnd: iso(31)
              })
              const approved = yield* call("POST", `/v1/availability/${leaveId}/approve`, as(owner))
              expectStatus(approved, 200)
              const refused = yield* call("POST", "/v1/interventions", {
                ...as(owner),
                body: {
                  title: "Fix",
                  assigneeIds: [tech.accountId],
                  scheduledStart: iso(2),
                  scheduledEnd: iso(3)
                }
              })
              expectStatus(refused, 409)
              assert.strictEqual(body<{ code: string }>(refused).code, "conflict")
              // Unassigned it is fine; assigning the technician then is refused too.
              const unassigned = yield* createIntervention(owner, {
                scheduledStart: iso(2),
                scheduledEnd: iso(3)
              })
              const assign = yield* call("POST", `/v1/interventions/${unassigned.id}/assignees`, {
                ...as(owner),
                body: { add: [tech.accountId] }
              })
              expectStatus(assign, 409)
              const from = encodeURIComponent(iso(-1))
              const to = encodeURIComponent(iso(48))
              const held = yield* call(
                "GET",
                `/v1/conflicts?accountId=${tech.accountId}&from=${from}&to=${to}`,
                as(owner)
              )
              expectStatus(held, 200)
              assert.deepStrictEqual(
                body<{ items: Array<{ sourceType: string; sourceId: string }> }>(held).items.map((item) => ({
                  type: item.sourceType,
                  id: item.sourceId
                })),
                [
                  { type: "leave", id: leaveId },
                  { type: "intervention", id: before.id }
                ]
              )
              // Leave over work already scheduled: the manager moves the work first.
              const overlapping = yield* call("POST", "/v1/availability", {
                ...as(tech),
                body: { kind: "UNAVAILABLE", startAt: iso(29), endAt: iso(32) }
              })
              expectStatus(
                yield* call(
                  "POST",
                  `/v1/availability/${body<{ id: string }>(overlapping).id}/approve`,
                  as(owner)
                ),
                409
              )
              // Withdrawn leave frees the time.
              const current = body<{ version: number }>(approved)
              expectStatus(
                yield* call(
                  "DELETE",
                  `/v1/availability/${leaveId}`,
                  as(tech, { "if-match": `"${current.version}"` })
                ),
                204
              )
              yield* createIntervention(owner, {
                assigneeIds: [tech.accountId],
                scheduledStart: iso(2),
                scheduledEnd: iso(3)
              })
            })
        )

        it.effect("a scheduled intervention on a unit holds the unit: a booking over it is refused", () =>
          Effect.gen(function* () {
            const owner = yield* registerOwner()
            const resource = yield* createResource(owner)
            const unit = yield* createUnit(owner, resource.id)
            const base = Date.parse("2031-07-07T08:00:00.000Z")
            const iso = (hours: number) => new Date(base + hours * 3_600_000).toISOString()
            const work = yield* createIntervention(owner, {
              unitId: unit.id,
              scheduledStart: iso(0),
              scheduledEnd: iso(4)
            })
            const booking = yield* call("POST", "/v1/bookings", {
              ...as(owner, { "idempotency-key": crypto.randomUUID() }),
              body: { startAt: iso(2), endAt: iso(6), purpose: "shoot", items: [{ unitId: unit.id }] }
            })
            expectStatus(booking, 409)
            const held = yield* call(
              "GET",
              `/v1/conflicts?unitId=${unit.id}&from=${encodeURIComponent(iso(-1))}&to=${encodeURIComponent(iso(8))}`,
              as(owner)
            )
            assert.deepStrictEqual(
              body<{ items: Array<{ sourceType: string; sourceId: string }> }>(held).items.map((item) => ({
                type: item.sourceType,
                id: item.sourceId
              })),
              [{ type: "intervention", id: work.id }]
            )
            // A second intervention on the same unit and time clashes too.
            const second = yield* call("POST", "/v1/interventions", {
              ...as(owner),
              body: { title: "Other", unitId: unit.id, scheduledStart: iso(1), scheduledEnd: iso(2) }
            })
            expectStatus(second, 409)
            // Completing the work frees the unit.
            yield* call("PATCH", `/v1/interventions/${work.id}`, {
              ...as(owner, { "if-match": `"${work.version}"` }),
              body: { status: "CANCELLED" }
            })
            const after = yield* call("POST", "/v1/bookings", {
              ...as(owner, { "idempotency-key": crypto.randomUUID() }),
              body: { startAt: iso(2), endAt: iso(6), purpose: "shoot", items: [{ unitId: unit.id }] }
            })
            expectStatus(after, 201)
          })
        )
      }
    )
  })
}
