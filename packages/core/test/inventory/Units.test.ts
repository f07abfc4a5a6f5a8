import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer, Option } from "effect"
import { ResourceRepo } from "../../src/inventory/InventoryRepos.ts"
import * as Units from "../../src/inventory/Units.ts"
import { Ids, nextId, OrgId } from "../../src/kernel/Ids.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { entry } from "../../src/testing/WaitlistFixtures.ts"
import * as Offers from "../../src/waitlist/Offers.ts"
import type { WaitlistEntry } from "../../src/waitlist/WaitlistEntry.ts"
import { WaitlistRepo } from "../../src/waitlist/WaitlistRepo.ts"
import { actorIn, as, auditedOf, stranger, topicsOf } from "../support/UseCases.ts"

// The resource units use case on the memory adapters, with the waitlist's offering engine taking
// up the time a unit back in service frees.
const memory = Units.layer.pipe(
  Layer.provideMerge(Offers.layer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer))
)

/** A manager and a member of a new org, and a camera resource of it. */
const store = Effect.gen(function* () {
  const orgId = yield* nextId(OrgId)
  return {
    manager: yield* actorIn(orgId, "manager"),
    member: yield* actorIn(orgId, "member"),
    camera: yield* resource(orgId, [])
  }
})

/** A waitlist entry's status and the unit it is offered, as stored. */
const offerOf = (waiting: WaitlistEntry) =>
  Effect.map(
    Effect.flatMap(Effect.service(WaitlistRepo), (repo) => repo.find(waiting.orgId, waiting.id)),
    (found) => Option.match(found, { onNone: () => [], onSome: (one) => [one.status, one.offeredUnitId] })
  )

layer(memory, { excludeTestServices: true })("Units on memory storage: barcodes", (it) => {
  it.effect(
    "a unit is created under a live resource, GOOD and AVAILABLE by default, audited and announced",
    () =>
      Effect.gen(function* () {
        const units = yield* Units.Units
        const { manager, member, camera } = yield* store
        const created = yield* as(manager, units.create(camera.id, { barcode: "CAM-1" }))
        assert.deepStrictEqual(
          [created.resourceId, created.condition, created.status, created.notes, created.version],
          [camera.id, "GOOD", "AVAILABLE", null, 1]
        )
        const listed = yield* as(member, units.list(camera.id, { limit: 10, filters: {} }))
        assert.deepStrictEqual(
          listed.items.map((one) => one.id),
          [created.id]
        )
        assert.deepStrictEqual(yield* auditedOf(manager.orgId), ["unit.CREATE"])
        assert.deepStrictEqual(yield* topicsOf(manager.orgId), ["unit.created"])
      })
  )

  it.effect(
    "a barcode is unique among the org's live units, compared exactly: taken is refused on create and update",
    () =>
      Effect.gen(function* () {
        const units = yield* Units.Units
        const { manager, camera } = yield* store
        yield* as(manager, units.create(camera.id, { barcode: "CAM-1" }))
        const other = yield* as(manager, units.create(camera.id, { barcode: "cam-1" }))
        const taken = yield* Effect.flip(as(manager, units.create(camera.id, { barcode: "CAM-1" })))
        const renamed = yield* Effect.flip(as(manager, units.update(other.id, 1, { barcode: "CAM-1" })))
        for (const refused of [taken, renamed]) {
          assert.strictEqual(refused._tag, "AlreadyExists")
          if (refused._tag === "AlreadyExists") assert.strictEqual(refused.field, "barcode")
        }
        // Another org has barcodes of its own.
        const elsewhere = yield* store
        const theirs = yield* as(elsewhere.manager, units.create(elsewhere.camera.id, { barcode: "CAM-1" }))
        assert.strictEqual(theirs.barcode, "CAM-1")
        assert.deepStrictEqual(yield* auditedOf(manager.orgId), ["unit.CREATE", "unit.CREATE"])
      })
  )

  it.effect("a removed unit's barcode is free for a new unit; restoring the old one is then refused", () =>
    Effect.gen(function* () {
      const units = yield* Units.Units
      const { manager, camera } = yield* store
      const old = yield* as(manager, units.create(camera.id, { barcode: "CAM-1" }))
      yield* as(manager, units.remove(old.id, 1))
      assert.strictEqual((yield* Effect.flip(as(manager, units.get(old.id))))._tag, "NotFound")
      yield* as(manager, units.create(camera.id, { barcode: "CAM-1" }))
      const back = yield* Effect.flip(as(manager, units.restore(old.id, 2)))
      assert.strictEqual(back._tag, "AlreadyExists")
      assert.strictEqual((yield* as(manager, units.get(old.id, { includeDeleted: true }))).version, 2)
      assert.deepStrictEqual(yield* auditedOf(manager.orgId), [
        "unit.CREATE",
        "unit.SOFT_DELETE",
        "unit.CREATE"
      ])
    })
  )
})

layer(memory, { excludeTestServices: true })(
  "Units on memory storage: the resource, versions and access",
  (it) => {
    it.effect(
      "units are listed and created under a live resource only: a deleted resource's are not found",
      () =>
        Effect.gen(function* () {
          const units = yield* Units.Units
          const { manager, camera } = yield* store
          const kept = yield* as(manager, units.create(camera.id, { barcode: "CAM-1" }))
          const at = yield* DateTime.now
          yield* Effect.orDie((yield* ResourceRepo).softDelete(manager.orgId, camera.id, 1, at))
          const listed = yield* Effect.flip(as(manager, units.list(camera.id, { limit: 10, filters: {} })))
          const created = yield* Effect.flip(as(manager, units.create(camera.id, { barcode: "CAM-2" })))
          assert.deepStrictEqual([listed._tag, created._tag], ["NotFound", "NotFound"])
          assert.strictEqual(
            (yield* as(manager, units.get(kept.id))).id,
            kept.id,
            "the unit itself is still read by id"
          )
        })
    )

    it.effect("a status change is a STATUS_CHANGE, and a stale version is refused and changes nothing", () =>
      Effect.gen(function* () {
        const units = yield* Units.Units
        const { manager, camera } = yield* store
        const created = yield* as(manager, units.create(camera.id, { barcode: "CAM-1" }))
        const damaged = yield* as(
          manager,
          units.update(created.id, 1, { status: "MAINTENANCE", condition: "DAMAGED" })
        )
        assert.deepStrictEqual(
          [damaged.status, damaged.condition, damaged.version],
          ["MAINTENANCE", "DAMAGED", 2]
        )
        const stale = yield* Effect.flip(as(manager, units.update(created.id, 1, { notes: "Late" })))
        assert.strictEqual(stale._tag, "PreconditionFailed")
        assert.strictEqual((yield* as(manager, units.get(created.id))).notes, null)
        assert.deepStrictEqual(yield* topicsOf(manager.orgId), ["unit.created", "unit.status_changed"])
      })
    )

    it.effect(
      "a member may not write, even under an unknown resource; another org's units are not found",
      () =>
        Effect.gen(function* () {
          const units = yield* Units.Units
          const { manager, member, camera } = yield* store
          const created = yield* as(manager, units.create(camera.id, { barcode: "CAM-1" }))
          const unknown = (yield* store).camera.id
          assert.strictEqual(
            (yield* Effect.flip(as(member, units.create(unknown, { barcode: "X" }))))._tag,
            "Forbidden"
          )
          assert.strictEqual(
            (yield* Effect.flip(as(member, units.update(created.id, 1, { notes: "x" }))))._tag,
            "Forbidden"
          )
          const outsider = yield* stranger
          assert.strictEqual((yield* Effect.flip(as(outsider, units.get(created.id))))._tag, "NotFound")
          const under = yield* Effect.flip(as(outsider, units.create(camera.id, { barcode: "CAM-9" })))
          assert.strictEqual(under._tag, "NotFound")
          const listed = yield* Effect.flip(as(outsider, units.list(camera.id, { limit: 10, filters: {} })))
          assert.strictEqual(listed._tag, "NotFound")
        })
    )
  }
)

layer(memory, { excludeTestServices: true })("Units on memory storage: the waitlist", (it) => {
  it.effect(
    "a unit back in service, or restored, is offered to its resource's waitlist in the same write",
    () =>
      Effect.gen(function* () {
        const units = yield* Units.Units
        const { manager, member, camera } = yield* store
        const resting = yield* as(
          manager,
          units.create(camera.id, { barcode: "CAM-1", status: "MAINTENANCE" })
        )
        const removed = yield* as(manager, units.create(camera.id, { barcode: "CAM-2" }))
        yield* as(manager, units.remove(removed.id, 1))
        const first = yield* entry(manager.orgId, camera.id, member.accountId, 2)
        const second = yield* entry(manager.orgId, camera.id, member.accountId, 1)
        yield* as(manager, units.update(resting.id, 1, { notes: "Still resting" }))
        assert.deepStrictEqual(yield* offerOf(first), ["WAITING", null])
        yield* as(manager, units.update(resting.id, 2, { status: "AVAILABLE" }))
        assert.deepStrictEqual(yield* offerOf(first), ["OFFERED", resting.id])
        yield* as(manager, units.restore(removed.id, 2))
        assert.deepStrictEqual(yield* offerOf(second), ["OFFERED", removed.id])
      })
  )
})
