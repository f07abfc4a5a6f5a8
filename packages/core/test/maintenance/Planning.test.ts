import { assert, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import * as Interventions from "../../src/interventions/Interventions.ts"
import { nextId, Uuid } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import { Ledger } from "../../src/ledger/Ledger.ts"
import * as MaintenancePlans from "../../src/maintenance/MaintenancePlans.ts"
import * as Planning from "../../src/maintenance/Planning.ts"
import type { Entry } from "../../src/maintenance/PlanningView.ts"
import { as, daily, iso, memory, utc, workshop } from "../support/Maintenance.ts"

// The planning view on the memory adapters: the ledger's claims and the plans' due dates over a
// window, at a clock the test sets.
const friday = Date.parse("2031-01-10T12:00:00Z")

const show = (entries: ReadonlyArray<Entry>) =>
  entries.map((entry) => `${entry.type} ${iso(entry.startAt)}..${iso(entry.endAt)}`)

it.effect(
  "the view shows per technician and per unit what holds their time, and when plans fall due next",
  () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(friday)
      const plans = yield* MaintenancePlans.MaintenancePlans
      const interventions = yield* Interventions.Interventions
      const planning = yield* Planning.Planning
      const { orgId, manager, technician, unitId } = yield* workshop
      const oil = yield* as(
        manager,
        plans.create(
          daily(unitId, { leadTimeDays: 2, estimatedMinutes: 30, defaultAssigneeId: technician.accountId })
        )
      )
      // Saturday's and Sunday's work are opened: from then on they are interventions, not due dates.
      assert.strictEqual(yield* plans.generateDue, 2)
      const repair = yield* as(
        manager,
        interventions.create({
          title: "Repair",
          unitId,
          assigneeIds: [technician.accountId],
          scheduledStart: utc("2031-01-13T10:00"),
          scheduledEnd: utc("2031-01-13T12:00")
        })
      )
      const leave = { type: "leave" as const, id: yield* nextId(Uuid) }
      yield* (yield* Ledger).claim(orgId, [
        {
          subject: { type: "person", id: technician.accountId },
          interval: { startAt: utc("2031-01-13T14:00"), endAt: utc("2031-01-13T18:00") },
          source: leave
        }
      ])
      const view = yield* as(
        manager,
        planning.view({ from: utc("2031-01-12T00:00"), to: utc("2031-01-14T00:00") })
      )
      const sunday = "intervention 2031-01-12T08:00:00.000Z..2031-01-12T08:30:00.000Z"
      const monday = "maintenance_due 2031-01-13T08:00:00.000Z..2031-01-13T08:30:00.000Z"
      const repairing = "intervention 2031-01-13T10:00:00.000Z..2031-01-13T12:00:00.000Z"
      assert.deepStrictEqual(
        view.technicians.map((row) => [row.accountId, show(row.entries)]),
        [
          [
            technician.accountId,
            [sunday, monday, repairing, "leave 2031-01-13T14:00:00.000Z..2031-01-13T18:00:00.000Z"]
          ]
        ]
      )
      assert.deepStrictEqual(
        view.units.map((row) => [row.unitId, show(row.entries)]),
        [[unitId, [sunday, monday, repairing]]]
      )
      assert.deepStrictEqual(
        view.maintenance.map((due) => [due.planId, due.unitId, due.defaultAssigneeId, due.dueAt.map(iso)]),
        [[oil.id, unitId, technician.accountId, ["2031-01-13T08:00:00.000Z"]]]
      )
      assert.strictEqual(view.technicians[0]!.entries[2]!.id, repair.id)
      assert.isFalse(view.truncated)
    }).pipe(Effect.provide(memory))
)

it.effect("the window is the 14 days from now unless given, at most 92 days, and never empty", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(friday)
    const planning = yield* Planning.Planning
    const { manager } = yield* workshop
    const fallback = yield* as(manager, planning.view({}))
    assert.deepStrictEqual(
      [iso(fallback.from), iso(fallback.to)],
      ["2031-01-10T12:00:00.000Z", "2031-01-24T12:00:00.000Z"]
    )
    const from = utc("2031-01-01T00:00")
    const longest = yield* as(manager, planning.view({ from, to: utc("2031-04-03T00:00") }))
    assert.strictEqual(iso(longest.to), "2031-04-03T00:00:00.000Z")
    for (const to of [utc("2031-04-03T00:01"), from, utc("2030-12-31T00:00")]) {
      const refused = yield* Effect.flip(as(manager, planning.view({ from, to })))
      assert.deepStrictEqual(refused._tag === "ValidationFailed" ? refused.errors[0]?.path : refused._tag, [
        "query",
        "to"
      ])
    }
  }).pipe(Effect.provide(memory))
)

it.effect("only managers and up read the view; it holds the caller's org alone, and no paused plan", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(friday)
    const plans = yield* MaintenancePlans.MaintenancePlans
    const planning = yield* Planning.Planning
    const { manager, technician, unitId } = yield* workshop
    const oil = yield* as(manager, plans.create(daily(unitId, { defaultAssigneeId: technician.accountId })))
    yield* as(manager, plans.create(daily(unitId, { title: "Paused" })))
    const window = { from: utc("2031-01-11T00:00"), to: utc("2031-01-12T00:00") }
    const paused = (yield* as(manager, plans.list({ limit: 10, filters: {} }))).items.find(
      (plan) => plan.title === "Paused"
    )!
    yield* as(manager, plans.pause(paused.id, 1))
    const view = yield* as(manager, planning.view(window))
    assert.deepStrictEqual(
      view.maintenance.map((due) => due.planId),
      [oil.id]
    )
    const forbidden = yield* Effect.flip(as(technician, planning.view(window)))
    assert.deepStrictEqual(
      forbidden._tag === "Forbidden" ? forbidden.permission : forbidden._tag,
      "schedule.read"
    )
    const stranger = new Actor({ ...manager, orgId: (yield* workshop).orgId })
    const theirs = yield* as(stranger, planning.view(window))
    assert.deepStrictEqual([theirs.technicians, theirs.units, theirs.maintenance], [[], [], []])
  }).pipe(Effect.provide(memory))
)
