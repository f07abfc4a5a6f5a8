import { assert, it } from "@effect/vitest"
import { Effect } from "effect"
import { TestClock } from "effect/testing"
import { AccountId, nextId } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import { missing } from "../../src/kernel/Versioning.ts"
import * as MaintenancePlans from "../../src/maintenance/MaintenancePlans.ts"
import { account, join } from "../../src/testing/IdentityFixtures.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import { as, daily, iso, memory, workshop } from "../support/Maintenance.ts"
import { auditedOf, newTopicsOf } from "../support/UseCases.ts"

// The maintenance plans use case on the memory adapters, in an org planning on Paris time
// (UTC+1 in winter, UTC+2 from the end of March), at a clock the test sets.
const friday = Date.parse("2031-01-10T12:00:00Z")

const issuesOf = (error: { readonly _tag: string }) =>
  error._tag === "ValidationFailed"
    ? (error as unknown as { errors: ReadonlyArray<{ path: ReadonlyArray<unknown>; message: string }> })
        .errors
    : []

it.effect(
  "a plan falls due on the org's wall clock, first at or after now: a past start opens no past work",
  () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(friday)
      const plans = yield* MaintenancePlans.MaintenancePlans
      const { orgId, manager, resourceId, unitId } = yield* workshop
      const oil = yield* as(manager, plans.create(daily(unitId)))
      assert.deepStrictEqual(
        [oil.resourceId, oil.status, oil.at, oil.leadTimeDays, oil.createdBy, oil.version],
        [resourceId, "ACTIVE", "09:00", 0, manager.accountId, 1]
      )
      // 09:00 in Paris is 08:00 UTC in January; the first of January is long past.
      assert.strictEqual(iso(oil.nextDueAt), "2031-01-11T08:00:00.000Z")
      const next = yield* as(manager, plans.occurrences(oil.id, 3))
      assert.deepStrictEqual(next.map(iso), [
        "2031-01-11T08:00:00.000Z",
        "2031-01-12T08:00:00.000Z",
        "2031-01-13T08:00:00.000Z"
      ])
      // Monthly from 15 March: the UTC hour moves when Paris goes to summer time, 09:00 does not.
      const monthly = yield* as(
        manager,
        plans.create(
          daily(unitId, {
            recurrence: { type: "interval", every: 1, unit: "month" },
            startsOn: "2031-03-15"
          })
        )
      )
      assert.deepStrictEqual((yield* as(manager, plans.occurrences(monthly.id, 2))).map(iso), [
        "2031-03-15T08:00:00.000Z",
        "2031-04-15T07:00:00.000Z"
      ])
      for (const count of [0, 101]) {
        const refused = yield* Effect.flip(as(manager, plans.occurrences(oil.id, count)))
        assert.deepStrictEqual(issuesOf(refused)[0]?.path, ["query", "count"])
      }
      assert.deepStrictEqual(yield* auditedOf(orgId), ["maintenance_plan.CREATE", "maintenance_plan.CREATE"])
      assert.deepStrictEqual(yield* newTopicsOf(orgId), [
        "maintenance_plan.created",
        "maintenance_plan.created"
      ])
    }).pipe(Effect.provide(memory))
)

it.effect(
  "a new time of day counts the next due date again from now; other edits keep it; versions are checked",
  () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(friday)
      const plans = yield* MaintenancePlans.MaintenancePlans
      const { manager, unitId } = yield* workshop
      const oil = yield* as(manager, plans.create(daily(unitId)))
      // 14:00 in Paris today is still to come.
      const later = yield* as(manager, plans.update(oil.id, 1, { at: "14:00" }))
      assert.deepStrictEqual([iso(later.nextDueAt), later.version], ["2031-01-10T13:00:00.000Z", 2])
      const renamed = yield* as(manager, plans.update(oil.id, 2, { title: "Grease the pump" }))
      assert.deepStrictEqual(
        [iso(renamed.nextDueAt), renamed.title],
        ["2031-01-10T13:00:00.000Z", "Grease the pump"]
      )
      const stale = yield* Effect.flip(as(manager, plans.update(oil.id, 2, { title: "Late" })))
      assert.strictEqual(stale._tag, "PreconditionFailed")
      const blind = yield* Effect.flip(as(manager, plans.update(oil.id, missing, { title: "Blind" })))
      assert.strictEqual(blind._tag, "PreconditionRequired")
      assert.strictEqual((yield* as(manager, plans.get(oil.id))).title, "Grease the pump")
    }).pipe(Effect.provide(memory))
)

it.effect(
  "a paused plan opens nothing; resuming skips the dates that fell meanwhile; pausing twice changes nothing",
  () =>
    Effect.gen(function* () {
      yield* TestClock.setTime(friday)
      const plans = yield* MaintenancePlans.MaintenancePlans
      const { orgId, manager, unitId } = yield* workshop
      const oil = yield* as(manager, plans.create(daily(unitId)))
      const paused = yield* as(manager, plans.pause(oil.id, 1))
      assert.deepStrictEqual([paused.status, paused.nextDueAt, paused.version], ["PAUSED", null, 2])
      assert.strictEqual((yield* as(manager, plans.pause(oil.id, 2))).version, 2)
      // Retiming a paused plan gives it no due date; occurrences show what resuming now brings.
      const retimed = yield* as(manager, plans.update(oil.id, 2, { at: "10:00" }))
      assert.strictEqual(retimed.nextDueAt, null)
      assert.strictEqual(
        iso((yield* as(manager, plans.occurrences(oil.id, 1)))[0]!),
        "2031-01-11T09:00:00.000Z"
      )
      yield* TestClock.setTime(Date.parse("2031-01-15T12:00:00Z"))
      assert.strictEqual(yield* plans.generateDue, 0)
      const stale = yield* Effect.flip(as(manager, plans.resume(oil.id, 2)))
      assert.strictEqual(stale._tag, "PreconditionFailed")
      const resumed = yield* as(manager, plans.resume(oil.id, 3))
      assert.deepStrictEqual(
        [resumed.status, iso(resumed.nextDueAt), resumed.version],
        ["ACTIVE", "2031-01-16T09:00:00.000Z", 4]
      )
      assert.deepStrictEqual(yield* auditedOf(orgId), [
        "maintenance_plan.CREATE",
        "maintenance_plan.STATUS_CHANGE",
        "maintenance_plan.UPDATE",
        "maintenance_plan.STATUS_CHANGE"
      ])
    }).pipe(Effect.provide(memory))
)

it.effect("a plan maintains equipment of its own org, staffed by one of its technicians", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(friday)
    const plans = yield* MaintenancePlans.MaintenancePlans
    const { orgId, manager, technician, resourceId, unitId } = yield* workshop
    const refused = (fields: Parameters<typeof plans.create>[0]) =>
      Effect.map(Effect.flip(as(manager, plans.create(fields))), (error) =>
        issuesOf(error).map((issue) => `${issue.path.join(".")}: ${issue.message}`)
      )
    const nothing = { title: "Nothing", recurrence: daily(unitId).recurrence, startsOn: "2031-01-01" }
    assert.deepStrictEqual(yield* refused(nothing), [
      "body.resourceId: A plan maintains a resource or a unit"
    ])
    const other = yield* resource(orgId, [])
    assert.deepStrictEqual(yield* refused(daily(unitId, { resourceId: other.id })), [
      "body.unitId: The unit is not one of the resource's"
    ])
    const client = yield* account({ name: "client" })
    yield* join(orgId, client.id, "member")
    assert.deepStrictEqual(yield* refused(daily(unitId, { defaultAssigneeId: client.id })), [
      "body.defaultAssigneeId: Not a technician of this organisation"
    ])
    const stranger = new Actor({ ...manager, orgId: (yield* workshop).orgId })
    const foreign = yield* Effect.flip(as(stranger, plans.create(daily(unitId))))
    assert.deepStrictEqual(issuesOf(foreign)[0]?.message, "No such unit")
    const staffed = yield* as(
      manager,
      plans.create({ ...nothing, resourceId, defaultAssigneeId: technician.accountId })
    )
    assert.deepStrictEqual([staffed.resourceId, staffed.unitId], [resourceId, null])
    const demoted = yield* Effect.flip(
      as(manager, plans.update(staffed.id, 1, { defaultAssigneeId: client.id }))
    )
    assert.strictEqual(demoted._tag, "ValidationFailed")
    assert.deepStrictEqual(yield* auditedOf(orgId), ["maintenance_plan.CREATE"])
  }).pipe(Effect.provide(memory))
)

it.effect("technicians read plans and managers write them; another org's plan is not found", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(friday)
    const plans = yield* MaintenancePlans.MaintenancePlans
    const { orgId, manager, technician, unitId } = yield* workshop
    const oil = yield* as(manager, plans.create(daily(unitId)))
    assert.strictEqual((yield* as(technician, plans.get(oil.id))).id, oil.id)
    assert.strictEqual((yield* Effect.flip(as(technician, plans.create(daily(unitId)))))._tag, "Forbidden")
    assert.strictEqual((yield* Effect.flip(as(technician, plans.pause(oil.id, 1))))._tag, "Forbidden")
    assert.strictEqual((yield* Effect.flip(as(technician, plans.remove(oil.id, 1))))._tag, "Forbidden")
    const member = new Actor({ orgId, accountId: yield* nextId(AccountId), role: "member" })
    assert.strictEqual((yield* Effect.flip(as(member, plans.get(oil.id))))._tag, "Forbidden")
    const stranger = new Actor({ ...manager, orgId: (yield* workshop).orgId })
    assert.strictEqual((yield* Effect.flip(as(stranger, plans.get(oil.id))))._tag, "NotFound")
    assert.strictEqual((yield* Effect.flip(as(stranger, plans.pause(oil.id, 1))))._tag, "NotFound")
    assert.strictEqual((yield* Effect.flip(as(stranger, plans.occurrences(oil.id, 3))))._tag, "NotFound")
    assert.strictEqual((yield* as(manager, plans.get(oil.id))).status, "ACTIVE")
  }).pipe(Effect.provide(memory))
)

it.effect("a deleted plan opens nothing, and restored it goes on from now, not from where it stood", () =>
  Effect.gen(function* () {
    yield* TestClock.setTime(friday)
    const plans = yield* MaintenancePlans.MaintenancePlans
    const { orgId, manager, unitId } = yield* workshop
    const oil = yield* as(manager, plans.create(daily(unitId)))
    yield* as(manager, plans.remove(oil.id, 1))
    assert.strictEqual((yield* Effect.flip(as(manager, plans.get(oil.id))))._tag, "NotFound")
    assert.strictEqual((yield* as(manager, plans.list({ limit: 10, filters: {} }))).items.length, 0)
    yield* TestClock.setTime(Date.parse("2031-01-15T12:00:00Z"))
    assert.strictEqual(yield* plans.generateDue, 0)
    const stale = yield* Effect.flip(as(manager, plans.restore(oil.id, 1)))
    assert.strictEqual(stale._tag, "PreconditionFailed")
    const restored = yield* as(manager, plans.restore(oil.id, 2))
    assert.deepStrictEqual(
      [restored.deletedAt, iso(restored.nextDueAt), restored.version],
      [null, "2031-01-16T08:00:00.000Z", 3]
    )
    assert.strictEqual(iso((yield* as(manager, plans.get(oil.id))).nextDueAt), "2031-01-16T08:00:00.000Z")
    assert.deepStrictEqual(yield* auditedOf(orgId), [
      "maintenance_plan.CREATE",
      "maintenance_plan.SOFT_DELETE",
      "maintenance_plan.RESTORE"
    ])
  }).pipe(Effect.provide(memory))
)
