import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import { TestClock } from "effect/testing"
import { AccountId, Ids, nextId, OrgId } from "../../src/kernel/Ids.ts"
import { Actor, type CurrentActor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import * as Reports from "../../src/reports/Reports.ts"
import { account } from "../../src/testing/IdentityFixtures.ts"
import { intervention, workshop } from "../../src/testing/InterventionFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { booked, closed, fine, hour, resource, unit } from "../../src/testing/ReportFixtures.ts"
import { as } from "../support/UseCases.ts"

// The reports use case on memory storage: who may read them, the window it reads, and the hours
// and ratios it makes of the store's seconds.
const memory = Reports.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

const actorIn = (orgId: OrgId, role: Role) =>
  Effect.map(nextId(AccountId), (accountId) => new Actor({ orgId, accountId, role }))

const iso = (at: DateTime.Utc) => DateTime.formatIso(at)

// The items of an answer: the reports answer different rows, compared here only for being none.
const itemsOf = <E>(answer: Effect.Effect<{ readonly items: ReadonlyArray<unknown> }, E, CurrentActor>) =>
  Effect.map(answer, (report) => report.items)

// Every report, asked with the same window.
const everyReport = (window: Reports.Asked<never>) =>
  Effect.map(Effect.service(Reports.Reports), (reports) => [
    itemsOf(reports.utilisation(window)),
    itemsOf(reports.overdueFines(window)),
    itemsOf(reports.overdueFines({ ...window, by: "status" })),
    itemsOf(reports.workload(window)),
    itemsOf(reports.leadTimes(window))
  ])

layer(memory)("Reports on memory storage", (it) => {
  it.effect("managers and up read every report; technicians and members none, whatever the window", () =>
    Effect.gen(function* () {
      const orgId = yield* nextId(OrgId)
      for (const role of ["owner", "admin", "manager"] as const) {
        const actor = yield* actorIn(orgId, role)
        for (const report of yield* everyReport({})) {
          assert.deepStrictEqual(yield* as(actor, report), [], role)
        }
      }
      for (const role of ["technician", "member"] as const) {
        const actor = yield* actorIn(orgId, role)
        // A reversed window too: a refused caller does not learn that it is wrong.
        for (const report of yield* everyReport({ from: hour(10), to: hour(0) })) {
          assert.strictEqual((yield* Effect.flip(as(actor, report)))._tag, "Forbidden", role)
        }
      }
    })
  )

  it.effect(
    "a missing end is 30 days from the other (or now); a reversed or too long window is refused",
    () =>
      Effect.gen(function* () {
        yield* TestClock.setTime(DateTime.toEpochMillis(hour(0)))
        const reports = yield* Reports.Reports
        const manager = yield* actorIn(yield* nextId(OrgId), "manager")
        const read = (asked: Reports.Asked<never>) =>
          Effect.map(as(manager, reports.workload(asked)), (answer) => [iso(answer.from), iso(answer.to)])
        assert.deepStrictEqual(yield* read({}), ["2030-01-30T00:00:00.000Z", "2030-03-01T00:00:00.000Z"])
        assert.deepStrictEqual(yield* read({ from: hour(24) }), [
          "2030-03-02T00:00:00.000Z",
          "2030-04-01T00:00:00.000Z"
        ])
        assert.deepStrictEqual(yield* read({ to: hour(24) }), [
          "2030-01-31T00:00:00.000Z",
          "2030-03-02T00:00:00.000Z"
        ])
        assert.deepStrictEqual(yield* read({ from: hour(0), to: hour(366 * 24) }), [
          "2030-03-01T00:00:00.000Z",
          "2031-03-02T00:00:00.000Z"
        ])
        const refused = (asked: Reports.Asked<never>) =>
          Effect.map(Effect.flip(as(manager, reports.leadTimes(asked))), (error) =>
            error._tag === "ValidationFailed"
              ? error.errors.map((issue) => issue.path.join("."))
              : [error._tag]
          )
        assert.deepStrictEqual(yield* refused({ from: hour(5), to: hour(5) }), ["query.to"])
        assert.deepStrictEqual(yield* refused({ from: hour(5), to: hour(1) }), ["query.to"])
        assert.deepStrictEqual(yield* refused({ from: hour(0), to: hour(366 * 24 + 1) }), ["query.to"])
      })
  )

  it.effect(
    "utilisation in hours: available is each unit's window less its blackouts, the ratio booked of it",
    () =>
      Effect.gen(function* () {
        const reports = yield* Reports.Reports
        const manager = yield* actorIn(yield* nextId(OrgId), "manager")
        const drill = yield* resource(manager.orgId, "Drill")
        const [d1, d2, d3] = [yield* unit(drill, "D-1"), yield* unit(drill, "D-2"), yield* unit(drill, "D-3")]
        // D-1: 3 h 7 min 30 s booked; D-2: 1 h 30 min booked, 2 h closed; D-3 closed all day.
        yield* booked(manager.accountId, [d1], { status: "APPROVED", from: 1, hours: 3.125 })
        yield* booked(manager.accountId, [d2], { status: "RETURNED", from: 5, hours: 1.5 })
        yield* closed(d2, 8, 10)
        yield* closed(d3, -5, 20)
        const window = { from: hour(0), to: hour(10) }
        const byResource = yield* as(manager, reports.utilisation(window))
        assert.strictEqual(byResource.by, "resource")
        assert.deepStrictEqual(
          byResource.items.map((row) => [
            row.units,
            row.bookedHours,
            row.blackoutHours,
            row.availableHours,
            row.ratio
          ]),
          // 16,650 s booked (4.625 h, shown to two decimals) of 64,800 s open: 0.256944...
          [[3, 4.63, 12, 18, 0.2569]]
        )
        const byUnit = yield* as(manager, reports.utilisation({ ...window, by: "unit" }))
        assert.deepStrictEqual(
          byUnit.items.map((row) => [
            row.unitId,
            row.bookedHours,
            row.blackoutHours,
            row.availableHours,
            row.ratio
          ]),
          [
            [d1.id, 3.13, 0, 10, 0.3125],
            [d2.id, 1.5, 2, 8, 0.1875],
            [d3.id, 0, 10, 0, null]
          ]
        )
      })
  )

  it.effect("overdue time in hours up to now, fines per client or per status, lead times in hours", () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(DateTime.toEpochMillis(hour(48)))
      const reports = yield* Reports.Reports
      const { orgId, people } = yield* workshop(["tess"])
      const manager = yield* actorIn(orgId, "manager")
      const client = yield* account({ name: "zoe" })
      const van = yield* unit(yield* resource(orgId, "Van"), "V-1")
      // Due back 90 minutes ago and still out.
      yield* booked(client.id, [van], { status: "CHECKED_OUT", from: 40, hours: 6.5 })
      yield* fine(orgId, client.id, { amount: 1250, paid: 250, currency: "EUR", given: 12 })
      const window = { from: hour(0), to: hour(48) }
      const byClient = yield* as(manager, reports.overdueFines(window))
      // By client unless asked otherwise: `by` says which rows the answer holds.
      const clients = byClient.by === "client" ? byClient.items : assert.fail(`by ${byClient.by}`)
      assert.deepStrictEqual(
        clients.map((row) => [
          row.username,
          row.overdueBookings,
          row.overdueHours,
          row.currency,
          row.outstanding
        ]),
        [[client.username, 1, 1.5, "EUR", 1000]]
      )
      const byStatus = yield* as(manager, reports.overdueFines({ ...window, by: "status" }))
      assert.deepStrictEqual(byStatus.items, [
        { status: "OPEN", currency: "EUR", fines: 1, amount: 1250, paid: 250, outstanding: 1000 }
      ])
      // Requested at 2031-03-01T00:00 and completed 45 minutes later by its technician.
      const tess = people[0]!.id
      const requested = yield* intervention(orgId, 1, {
        assigneeIds: [tess],
        status: "COMPLETED",
        completedAt: DateTime.makeUnsafe(Date.UTC(2031, 2, 1, 0, 45)),
        completedBy: tess
      })
      const year = {
        from: DateTime.makeUnsafe(Date.UTC(2031, 0, 1)),
        to: DateTime.makeUnsafe(Date.UTC(2031, 6, 1))
      }
      const times = yield* as(manager, reports.leadTimes(year))
      assert.deepStrictEqual(
        times.items.map((row) => [row.started, row.startMeanHours, row.completed, row.completionP90Hours]),
        [[0, null, 1, 0.75]]
      )
      const work = yield* as(manager, reports.workload(year))
      assert.deepStrictEqual(
        work.items.map((row) => [row.accountId, row.assigned, row.open, row.completed]),
        [[requested.completedBy, 1, 0, 1]]
      )
    })
  )
})
