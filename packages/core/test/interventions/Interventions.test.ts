import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import * as Interventions from "../../src/interventions/Interventions.ts"
import { AccountId, Ids, nextId, OrgId } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import { account, join, org } from "../../src/testing/IdentityFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { as } from "../support/UseCases.ts"

// The interventions use case on the memory adapters: its rules in milliseconds, no database.
const memory = Interventions.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

// An org with a manager (who need not be stored to act) and a stored technician.
const workshop = Effect.gen(function* () {
  const { id: orgId } = yield* org("Workshop")
  const manager = new Actor({ orgId, accountId: yield* nextId(AccountId), role: "manager" })
  const technician = yield* account({ name: "tech" })
  yield* join(orgId, technician.id, "technician")
  return { orgId, manager, technicianId: technician.id }
})

const hour = (n: number) => DateTime.makeUnsafe(Date.UTC(2031, 2, 1, n))

layer(memory, { excludeTestServices: true })("Interventions on memory storage", (it) => {
  it.effect("interventions are numbered per org, and move through their states into the timeline", () =>
    Effect.gen(function* () {
      const interventions = yield* Interventions.Interventions
      const { manager, technicianId } = yield* workshop
      const first = yield* as(manager, interventions.create({ title: "Pump", assigneeIds: [technicianId] }))
      const second = yield* as(manager, interventions.create({ title: "Boiler" }))
      assert.deepStrictEqual(
        [first.number, second.number, first.status],
        ["INT-000001", "INT-000002", "PENDING"]
      )
      const started = yield* as(manager, interventions.update(first.id, 1, { status: "IN_PROGRESS" }))
      const done = yield* as(
        manager,
        interventions.update(first.id, started.version, { status: "COMPLETED" })
      )
      assert.deepStrictEqual(
        [done.status, done.completedBy, done.completedAt !== null],
        ["COMPLETED", manager.accountId, true]
      )
      const reopened = yield* Effect.flip(
        as(manager, interventions.update(first.id, done.version, { status: "IN_PROGRESS" }))
      )
      assert.strictEqual(reopened._tag, "InvalidTransition")
      const skipped = yield* Effect.flip(
        as(manager, interventions.update(second.id, 1, { status: "COMPLETED" }))
      )
      assert.strictEqual(skipped._tag, "InvalidTransition")
      const timeline = yield* as(manager, interventions.timeline(first.id, { limit: 20 }))
      assert.deepStrictEqual(
        timeline.items.map((event) => event.type),
        ["created", "assigned", "started", "completed"]
      )
      // The last 30 days by default, up to now exclusive: a completion in this very millisecond
      // would fall outside, so let the clock move on first.
      yield* Effect.sleep("2 millis")
      // The last 30 days by default: the technician assigned gets the credit, not the manager.
      const board = yield* as(manager, interventions.leaderboard({}))
      assert.deepStrictEqual(
        board.items.map((entry) => [entry.accountId, entry.completed]),
        [[technicianId, 1]]
      )
    })
  )

  it.effect(
    "a technician's scheduled time is held: an overlapping intervention is refused, an adjacent one is not",
    () =>
      Effect.gen(function* () {
        const interventions = yield* Interventions.Interventions
        const { manager, technicianId } = yield* workshop
        const slot = (start: number, end: number) => ({
          title: `Slot ${start}`,
          assigneeIds: [technicianId],
          scheduledStart: hour(start),
          scheduledEnd: hour(end)
        })
        yield* as(manager, interventions.create(slot(8, 12)))
        const overlapping = yield* Effect.flip(as(manager, interventions.create(slot(10, 14))))
        assert.strictEqual(overlapping._tag, "Conflict")
        const adjacent = yield* as(manager, interventions.create(slot(12, 14)))
        assert.strictEqual(adjacent.number, "INT-000002", "the refused one gave its number back")
      })
  )

  it.effect("another org's intervention is not found, and a member may not create one", () =>
    Effect.gen(function* () {
      const interventions = yield* Interventions.Interventions
      const { manager } = yield* workshop
      const created = yield* as(manager, interventions.create({ title: "Pump" }))
      const stranger = new Actor({
        orgId: yield* nextId(OrgId),
        accountId: yield* nextId(AccountId),
        role: "manager"
      })
      assert.strictEqual((yield* Effect.flip(as(stranger, interventions.get(created.id))))._tag, "NotFound")
      const member = new Actor({ orgId: manager.orgId, accountId: yield* nextId(AccountId), role: "member" })
      assert.strictEqual(
        (yield* Effect.flip(as(member, interventions.create({ title: "Mine" }))))._tag,
        "Forbidden"
      )
    })
  )
})
