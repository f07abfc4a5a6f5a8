import { assert, it } from "@effect/vitest"
import { DateTime, Duration, Effect } from "effect"
import { TestClock } from "effect/testing"
import { MembershipRepo } from "../../src/identity/IdentityRepos.ts"
import * as Interventions from "../../src/interventions/Interventions.ts"
import { UnitRepo } from "../../src/inventory/InventoryRepos.ts"
import { nextId, type OrgId, Uuid } from "../../src/kernel/Ids.ts"
import type { Actor } from "../../src/kernel/RequestContext.ts"
import { Ledger, type Subject } from "../../src/ledger/Ledger.ts"
import * as MaintenancePlans from "../../src/maintenance/MaintenancePlans.ts"
import { MaintenancePlanRepo } from "../../src/maintenance/MaintenanceRepos.ts"
import { as, daily, iso, memory, utc, workshop } from "../support/Maintenance.ts"
import { auditOf, newMessagesOf } from "../support/UseCases.ts"

// Due generation, the server's maintenance job, on the memory adapters: a fresh database per
// test, since a run sweeps every org, and a clock the test moves.
const friday = Date.parse("2031-01-10T12:00:00Z")

// The org's interventions, by due date.
const opened = (manager: Actor) =>
  Effect.gen(function* () {
    const interventions = yield* Interventions.Interventions
    const sort = { field: "dueAt", direction: "asc" } as const
    return (yield* as(manager, interventions.list({ limit: 100, filters: {}, sort }))).items
  })

const holdTime = (orgId: OrgId, subject: Subject, start: string, minutes: number) =>
  Effect.gen(function* () {
    const source = { type: "booking" as const, id: yield* nextId(Uuid) }
    const startAt = utc(start)
    const endAt = DateTime.addDuration(startAt, Duration.minutes(minutes))
    yield* (yield* Ledger).claim(orgId, [{ subject, interval: { startAt, endAt }, source }])
  })

it.effect(
  "each due date within the lead time opens one preventive intervention as the plan says, and never a second",
  () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(friday)
      const plans = yield* MaintenancePlans.MaintenancePlans
      const { orgId, manager, technician, resourceId, unitId } = yield* workshop
      const oil = yield* as(
        manager,
        plans.create(
          daily(unitId, {
            description: "Keep it quiet",
            checklist: ["Oil", "Check seals"],
            leadTimeDays: 2,
            estimatedMinutes: 90,
            defaultAssigneeId: technician.accountId,
            priority: "HIGH"
          })
        )
      )
      yield* newMessagesOf(orgId)
      // Two days ahead of Friday noon: Saturday's and Sunday's 09:00 (08:00 UTC), not Monday's.
      assert.strictEqual(yield* plans.generateDue, 2)
      assert.strictEqual(yield* plans.generateDue, 0, "a second run opens nothing")
      assert.strictEqual(iso((yield* as(manager, plans.get(oil.id))).nextDueAt), "2031-01-13T08:00:00.000Z")
      const [saturday, sunday] = yield* opened(manager)
      assert.deepStrictEqual(
        [
          saturday!.kind,
          saturday!.status,
          saturday!.priority,
          saturday!.title,
          saturday!.unitId,
          saturday!.resourceId
        ],
        ["PREVENTIVE", "PENDING", "HIGH", "Oil the pump", unitId, resourceId]
      )
      assert.strictEqual(saturday!.description, "Keep it quiet\n\nChecklist:\n- [ ] Oil\n- [ ] Check seals")
      assert.deepStrictEqual(
        [
          iso(saturday!.dueAt),
          iso(saturday!.scheduledStart),
          iso(saturday!.scheduledEnd),
          saturday!.assigneeIds
        ],
        [
          "2031-01-11T08:00:00.000Z",
          "2031-01-11T08:00:00.000Z",
          "2031-01-11T09:30:00.000Z",
          [technician.accountId]
        ]
      )
      assert.strictEqual(iso(sunday!.dueAt), "2031-01-12T08:00:00.000Z")
      const due = (yield* newMessagesOf(orgId)).filter((message) => message.topic === "maintenance.due")
      assert.deepStrictEqual(
        due.map((message) => message.payload),
        [saturday!, sunday!].map((intervention) => ({
          id: intervention.id,
          number: intervention.number,
          title: "Oil the pump",
          planId: oil.id,
          dueAt: iso(intervention.dueAt),
          assigneeId: technician.accountId
        }))
      )
      // The server opened them: their audit events name no actor.
      const created = (yield* auditOf(orgId)).filter((event) => event.entityType === "intervention")
      assert.deepStrictEqual(
        created.map((event) => [event.action, event.actorId]),
        [
          ["CREATE", null],
          ["CREATE", null]
        ]
      )
      yield* TestClock.setTime(Date.parse("2031-01-11T12:00:00Z"))
      assert.strictEqual(yield* plans.generateDue, 1, "a day later, one more day comes within the lead time")
      assert.strictEqual((yield* opened(manager)).length, 3)
    }).pipe(Effect.provide(memory))
)

it.effect(
  "a server that was down catches up on each missed date once; a date already claimed opens nothing",
  () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(friday)
      const plans = yield* MaintenancePlans.MaintenancePlans
      const { orgId, manager, unitId } = yield* workshop
      const oil = yield* as(manager, plans.create(daily(unitId)))
      yield* TestClock.setTime(Date.parse("2031-01-14T12:00:00Z"))
      assert.strictEqual(yield* plans.generateDue, 4)
      assert.deepStrictEqual(
        (yield* opened(manager)).map((intervention) => iso(intervention.dueAt)),
        [
          "2031-01-11T08:00:00.000Z",
          "2031-01-12T08:00:00.000Z",
          "2031-01-13T08:00:00.000Z",
          "2031-01-14T08:00:00.000Z"
        ]
      )
      // As if a run had opened them but died before moving the plan on: the claims hold.
      yield* (yield* MaintenancePlanRepo).setNextDue(orgId, oil.id, utc("2031-01-11T08:00"))
      assert.strictEqual(yield* plans.generateDue, 0)
      assert.strictEqual((yield* opened(manager)).length, 4)
      assert.strictEqual(iso((yield* as(manager, plans.get(oil.id))).nextDueAt), "2031-01-15T08:00:00.000Z")
    }).pipe(Effect.provide(memory))
)

it.effect(
  "when the technician is busy the work opens unassigned, when the unit is busy unscheduled, never skipped",
  () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(friday)
      const plans = yield* MaintenancePlans.MaintenancePlans
      const { orgId, manager, technician, unitId } = yield* workshop
      yield* as(
        manager,
        plans.create(
          daily(unitId, { leadTimeDays: 2, estimatedMinutes: 60, defaultAssigneeId: technician.accountId })
        )
      )
      yield* holdTime(orgId, { type: "person", id: technician.accountId }, "2031-01-11T08:30", 60)
      yield* holdTime(orgId, { type: "unit", id: unitId }, "2031-01-12T07:30", 60)
      assert.strictEqual(yield* plans.generateDue, 2)
      const [techBusy, unitBusy] = yield* opened(manager)
      assert.deepStrictEqual(
        [techBusy!.assigneeIds, iso(techBusy!.scheduledStart), iso(techBusy!.dueAt)],
        [[], "2031-01-11T08:00:00.000Z", "2031-01-11T08:00:00.000Z"]
      )
      assert.deepStrictEqual(
        [unitBusy!.scheduledStart, unitBusy!.scheduledEnd, iso(unitBusy!.dueAt)],
        [null, null, "2031-01-12T08:00:00.000Z"]
      )
    }).pipe(Effect.provide(memory))
)

it.effect("when the plan's technician has left the org, the work opens unassigned", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(friday)
    const plans = yield* MaintenancePlans.MaintenancePlans
    const { orgId, manager, technician, unitId } = yield* workshop
    yield* as(
      manager,
      plans.create(daily(unitId, { defaultAssigneeId: technician.accountId, leadTimeDays: 1 }))
    )
    yield* Effect.orDie(
      (yield* MembershipRepo).remove(orgId, technician.accountId, undefined, DateTime.makeUnsafe(friday))
    )
    assert.strictEqual(yield* plans.generateDue, 1)
    const [work] = yield* opened(manager)
    assert.deepStrictEqual([work!.assigneeIds, iso(work!.dueAt)], [[], "2031-01-11T08:00:00.000Z"])
  }).pipe(Effect.provide(memory))
)

it.effect(
  "a plan whose unit was deleted opens nothing and is tried again later, without holding up the others",
  () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(friday)
      const plans = yield* MaintenancePlans.MaintenancePlans
      const units = yield* UnitRepo
      const { orgId, manager, resourceId, unitId } = yield* workshop
      const onUnit = yield* as(manager, plans.create(daily(unitId)))
      const onResource = yield* as(manager, plans.create({ ...daily(unitId), unitId: null, resourceId }))
      yield* Effect.orDie(units.softDelete(orgId, unitId, undefined, DateTime.makeUnsafe(friday)))
      yield* TestClock.setTime(Date.parse("2031-01-11T12:00:00Z"))
      assert.strictEqual(yield* plans.generateDue, 1)
      assert.deepStrictEqual(
        (yield* opened(manager)).map((intervention) => intervention.unitId),
        [null]
      )
      assert.strictEqual(
        iso((yield* as(manager, plans.get(onUnit.id))).nextDueAt),
        "2031-01-11T08:00:00.000Z"
      )
      assert.strictEqual(
        iso((yield* as(manager, plans.get(onResource.id))).nextDueAt),
        "2031-01-12T08:00:00.000Z"
      )
      // Its due date was not claimed by the failed run: once the unit is back, it opens.
      yield* Effect.orDie(units.restore(orgId, unitId, undefined))
      assert.strictEqual(yield* plans.generateDue, 1)
      assert.deepStrictEqual(
        (yield* opened(manager)).map((intervention) => [intervention.unitId, iso(intervention.dueAt)]),
        [
          [null, "2031-01-11T08:00:00.000Z"],
          [unitId, "2031-01-11T08:00:00.000Z"]
        ]
      )
    }).pipe(Effect.provide(memory))
)
