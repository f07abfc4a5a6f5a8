import { assert, layer } from "@effect/vitest"
import { Effect, Layer } from "effect"
import * as Parts from "../../src/inventory/Parts.ts"
import { Ids, nextId, OrgId } from "../../src/kernel/Ids.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { actorIn, as, auditOf, messagesOf, stranger, topicsOf } from "../support/UseCases.ts"

// The parts use case on the memory adapters: stock that changes only through adjustments.
const memory = Parts.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

/** A manager and a technician of a new org. */
const workshop = Effect.gen(function* () {
  const orgId = yield* nextId(OrgId)
  return { manager: yield* actorIn(orgId, "manager"), technician: yield* actorIn(orgId, "technician") }
})

const filter = (stock: number, sku = "FLT-10") => ({
  sku,
  name: "Oil filter",
  unitPrice: { amount: 1250, currency: "EUR" },
  quantityOnHand: stock,
  reorderLevel: 2
})

const take = (delta: number) => ({ delta, reason: "work order 42" })

layer(memory, { excludeTestServices: true })("Parts on memory storage: stock", (it) => {
  it.effect("an adjustment changes the stock by its delta, and its reason is kept in the audit event", () =>
    Effect.gen(function* () {
      const parts = yield* Parts.Parts
      const { manager } = yield* workshop
      const created = yield* as(manager, parts.create(filter(10)))
      const adjusted = yield* as(manager, parts.adjust(created.id, 1, take(-3)))
      assert.deepStrictEqual([adjusted.quantityOnHand, adjusted.version], [7, 2])
      const event = (yield* auditOf(manager.orgId))[1]!
      assert.deepStrictEqual(
        [event.entityType, event.action, (event.after as { adjustment: unknown }).adjustment],
        ["part", "UPDATE", { delta: -3, reason: "work order 42" }]
      )
      assert.deepStrictEqual(yield* topicsOf(manager.orgId), ["part.created", "part.updated"])
    })
  )

  it.effect(
    "taking more than is on hand is refused with the stock and the pieces asked, changing nothing",
    () =>
      Effect.gen(function* () {
        const parts = yield* Parts.Parts
        const { manager } = yield* workshop
        const created = yield* as(manager, parts.create(filter(2)))
        const refused = yield* Effect.flip(as(manager, parts.adjust(created.id, 1, take(-5))))
        assert.strictEqual(refused._tag, "InsufficientStock")
        if (refused._tag === "InsufficientStock")
          assert.deepStrictEqual([refused.onHand, refused.requested], [2, 5])
        const now = yield* as(manager, parts.get(created.id))
        assert.deepStrictEqual([now.quantityOnHand, now.version], [2, 1])
        assert.deepStrictEqual(yield* topicsOf(manager.orgId), ["part.created"])
      })
  )

  it.effect(
    "stock never goes below zero: of twenty concurrent takes of one piece from ten, ten succeed",
    () =>
      Effect.gen(function* () {
        const parts = yield* Parts.Parts
        const { manager } = yield* workshop
        const created = yield* as(manager, parts.create(filter(10)))
        const outcomes = yield* Effect.all(
          Array.from({ length: 20 }, () =>
            Effect.match(as(manager, parts.adjust(created.id, undefined, take(-1))), {
              onFailure: (error) => error._tag,
              onSuccess: () => "taken"
            })
          ),
          { concurrency: "unbounded" }
        )
        assert.deepStrictEqual(
          [
            outcomes.filter((one) => one === "taken").length,
            outcomes.filter((one) => one === "InsufficientStock").length
          ],
          [10, 10]
        )
        assert.strictEqual((yield* as(manager, parts.get(created.id))).quantityOnHand, 0)
      })
  )
})

layer(memory, { excludeTestServices: true })(
  "Parts on memory storage: the reorder level and versions",
  (it) => {
    it.effect(
      "reaching the reorder level is announced once, when the stock goes from above it to at or below",
      () =>
        Effect.gen(function* () {
          const parts = yield* Parts.Parts
          const { manager } = yield* workshop
          const created = yield* as(manager, parts.create(filter(10)))
          for (const [version, delta] of [
            [1, -8],
            [2, -1],
            [3, 5],
            [4, -4]
          ] as const)
            yield* as(manager, parts.adjust(created.id, version, take(delta)))
          const low = (yield* messagesOf(manager.orgId)).filter(
            (message) => message.topic === "part.below_reorder_level"
          )
          assert.deepStrictEqual(
            low.map((message) => (message.payload as { quantityOnHand: number }).quantityOnHand),
            [2, 2]
          )
        })
    )

    it.effect(
      "an adjustment without a version applies to the current stock; a stale version is refused",
      () =>
        Effect.gen(function* () {
          const parts = yield* Parts.Parts
          const { manager } = yield* workshop
          const created = yield* as(manager, parts.create(filter(10)))
          yield* as(manager, parts.update(created.id, 1, { name: "Oil filter, large" }))
          const stale = yield* Effect.flip(as(manager, parts.adjust(created.id, 1, take(-1))))
          assert.strictEqual(stale._tag, "PreconditionFailed")
          const current = yield* as(manager, parts.adjust(created.id, undefined, take(-1)))
          assert.deepStrictEqual(
            [current.quantityOnHand, current.version, current.name],
            [9, 3, "Oil filter, large"]
          )
          const tooMuch = yield* Effect.flip(as(manager, parts.adjust(created.id, 3, take(1_000_000_000))))
          assert.strictEqual(tooMuch._tag, "ValidationFailed")
        })
    )
  }
)

layer(memory, { excludeTestServices: true })("Parts on memory storage: SKUs and access", (it) => {
  it.effect(
    "an SKU is unique among the org's live parts whatever its case, and free again once deleted",
    () =>
      Effect.gen(function* () {
        const parts = yield* Parts.Parts
        const { manager } = yield* workshop
        const first = yield* as(manager, parts.create(filter(1, "FLT-10")))
        const taken = yield* Effect.flip(as(manager, parts.create(filter(1, "flt-10"))))
        assert.strictEqual(taken._tag, "AlreadyExists")
        if (taken._tag === "AlreadyExists") assert.strictEqual(taken.field, "sku")
        const elsewhere = yield* stranger
        assert.strictEqual((yield* as(elsewhere, parts.create(filter(1, "FLT-10")))).sku, "FLT-10")
        yield* as(manager, parts.remove(first.id, 1))
        assert.deepStrictEqual((yield* as(manager, parts.list({ limit: 10, filters: {} }))).items, [])
        const again = yield* as(manager, parts.create(filter(1, "flt-10")))
        assert.strictEqual(again.sku, "flt-10")
      })
  )

  it.effect("a technician may read stock but not adjust it; another org's part is not found", () =>
    Effect.gen(function* () {
      const parts = yield* Parts.Parts
      const { manager, technician } = yield* workshop
      const created = yield* as(manager, parts.create(filter(10)))
      assert.strictEqual((yield* as(technician, parts.get(created.id))).quantityOnHand, 10)
      const forbidden = yield* Effect.flip(as(technician, parts.adjust(created.id, 1, take(-1))))
      assert.strictEqual(forbidden._tag, "Forbidden")
      const outsider = yield* stranger
      assert.strictEqual((yield* Effect.flip(as(outsider, parts.get(created.id))))._tag, "NotFound")
      assert.strictEqual(
        (yield* Effect.flip(as(outsider, parts.adjust(created.id, 1, take(-1)))))._tag,
        "NotFound"
      )
      assert.strictEqual((yield* as(manager, parts.get(created.id))).quantityOnHand, 10)
    })
  )
})
