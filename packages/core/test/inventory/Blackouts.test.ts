import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import * as Blackouts from "../../src/inventory/Blackouts.ts"
import { UnitRepo } from "../../src/inventory/InventoryRepos.ts"
import { ResourceUnit, UnitId } from "../../src/inventory/ResourceUnit.ts"
import { AuditLog } from "../../src/kernel/AuditLog.ts"
import { AccountId, Ids, nextId, OrgId, Uuid } from "../../src/kernel/Ids.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import * as FreedTime from "../../src/ledger/FreedTime.ts"
import { Ledger } from "../../src/ledger/Ledger.ts"
import { base, hour, resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { as } from "../support/UseCases.ts"

// The blackouts use case on the memory adapters: its rules on the ledger in milliseconds.
const memory = Blackouts.layer.pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer, FreedTime.ignored))
)

const actorIn = (orgId: OrgId, role: Role) =>
  Effect.map(nextId(AccountId), (accountId) => new Actor({ orgId, accountId, role }))

/** Hour `n` of 2040-01-01, safely in the future. */
const at = (n: number) => DateTime.makeUnsafe(Date.UTC(2040, 0, 1, n))

/** A manager of a new org and a resource of it with two units. */
const setUp = Effect.gen(function* () {
  const manager = yield* actorIn(yield* nextId(OrgId), "manager")
  const camera = yield* resource(manager.orgId, [])
  const unitIds: Array<UnitId> = []
  for (const barcode of ["cam-1", "cam-2"]) {
    const id = yield* nextId(UnitId)
    const unit = new ResourceUnit({
      ...base,
      id,
      orgId: manager.orgId,
      resourceId: camera.id,
      barcode: `${barcode}-${id}`,
      condition: "GOOD",
      status: "AVAILABLE",
      notes: null,
      createdAt: hour(0)
    })
    unitIds.push((yield* Effect.orDie((yield* UnitRepo).insert(unit))).id)
  }
  return { manager, camera, unitIds }
})

const blackoutOf = (scope: "unit" | "resource", scopeId: string, from: number, to: number) => ({
  scope,
  scopeId,
  startAt: at(from),
  endAt: at(to),
  reason: "Annual service"
})

const auditedBy = (orgId: OrgId) =>
  Effect.flatMap(Effect.service(AuditLog), (log) =>
    Effect.map(Effect.orDie(log.list(orgId, { limit: 100 })), (page) =>
      page.items.map((event) => `${event.entityType}.${event.action}`)
    )
  )

layer(memory, { excludeTestServices: true })("Blackouts on memory storage", (it) => {
  it.effect("a blackout over claimed time is refused and writes nothing; next to it, it is stored", () =>
    Effect.gen(function* () {
      const blackouts = yield* Blackouts.Blackouts
      const { manager, unitIds } = yield* setUp
      const booked = { type: "booking" as const, id: yield* nextId(Uuid) }
      const unit = unitIds[0]!
      yield* (yield* Ledger).claim(manager.orgId, [
        { subject: { type: "unit", id: unit }, interval: { startAt: at(10), endAt: at(12) }, source: booked }
      ])
      const refused = yield* Effect.flip(as(manager, blackouts.create(blackoutOf("unit", unit, 11, 13))))
      assert.strictEqual(refused._tag, "Conflict")
      assert.strictEqual((yield* as(manager, blackouts.list({ limit: 10, filters: {} }))).items.length, 0)
      assert.deepStrictEqual(yield* auditedBy(manager.orgId), [])
      const stored = yield* as(manager, blackouts.create(blackoutOf("unit", unit, 12, 14)))
      assert.deepStrictEqual([stored.unitIds, stored.version], [[unit], 1])
      assert.deepStrictEqual(yield* auditedBy(manager.orgId), ["blackout.CREATE"])
      const overlapping = yield* Effect.flip(as(manager, blackouts.create(blackoutOf("unit", unit, 13, 15))))
      assert.strictEqual(overlapping._tag, "Conflict")
    })
  )

  it.effect("a resource's blackout holds every unit of it, and removing it frees the time", () =>
    Effect.gen(function* () {
      const blackouts = yield* Blackouts.Blackouts
      const ledger = yield* Ledger
      const { manager, camera, unitIds } = yield* setUp
      const window = { startAt: at(8), endAt: at(20) }
      const subjects = unitIds.map((id) => ({ type: "unit" as const, id }))
      const stored = yield* as(manager, blackouts.create(blackoutOf("resource", camera.id, 9, 17)))
      assert.deepStrictEqual([...stored.unitIds].sort(), [...unitIds].sort())
      assert.strictEqual((yield* ledger.activeFor(manager.orgId, subjects, window)).length, 2)
      const stale = yield* Effect.flip(as(manager, blackouts.remove(stored.id, 7)))
      assert.strictEqual(stale._tag, "PreconditionFailed")
      const removed = yield* as(manager, blackouts.remove(stored.id, 1))
      assert.deepStrictEqual([removed.deletedAt !== null, removed.version], [true, 2])
      assert.strictEqual((yield* ledger.activeFor(manager.orgId, subjects, window)).length, 0)
      assert.strictEqual((yield* Effect.flip(as(manager, blackouts.get(stored.id))))._tag, "NotFound")
    })
  )

  it.effect(
    "a member may not black out; another org's unit is not found; the end must follow the start",
    () =>
      Effect.gen(function* () {
        const blackouts = yield* Blackouts.Blackouts
        const { manager, unitIds } = yield* setUp
        const unit = unitIds[0]!
        const member = yield* actorIn(manager.orgId, "member")
        const forbidden = yield* Effect.flip(as(member, blackouts.create(blackoutOf("unit", unit, 9, 10))))
        assert.strictEqual(forbidden._tag, "Forbidden")
        const stranger = yield* actorIn(yield* nextId(OrgId), "manager")
        const missing = yield* Effect.flip(as(stranger, blackouts.create(blackoutOf("unit", unit, 9, 10))))
        assert.strictEqual(missing._tag, "NotFound")
        const backwards = yield* Effect.flip(as(manager, blackouts.create(blackoutOf("unit", unit, 10, 9))))
        assert.strictEqual(backwards._tag, "ValidationFailed")
      })
  )
})
