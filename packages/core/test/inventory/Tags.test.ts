import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import { ResourceRepo } from "../../src/inventory/InventoryRepos.ts"
import type { Resource } from "../../src/inventory/Resource.ts"
import * as Tags from "../../src/inventory/Tags.ts"
import { Ids, nextId, OrgId } from "../../src/kernel/Ids.ts"
import { resource } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { actorIn, as, auditedOf, stranger, topicsOf } from "../support/UseCases.ts"

// The tags use case on the memory adapters: names unique whatever their case, linked (not
// copied) onto the resources that carry them.
const memory = Tags.layer.pipe(Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer)))

/** A manager and a member of a new org. */
const team = Effect.gen(function* () {
  const orgId = yield* nextId(OrgId)
  return { manager: yield* actorIn(orgId, "manager"), member: yield* actorIn(orgId, "member") }
})

/** A resource's tags and version, as stored. */
const tagsOn = (stored: Resource) =>
  Effect.map(
    Effect.flatMap(Effect.service(ResourceRepo), (repo) => repo.find(stored.orgId, stored.id)),
    (found) => Option.match(found, { onNone: () => [], onSome: (one) => [one.tags, one.version] })
  )

layer(memory, { excludeTestServices: true })("Tags on memory storage: names", (it) => {
  it.effect("a tag is created with its name trimmed, audited and announced", () =>
    Effect.gen(function* () {
      const tags = yield* Tags.Tags
      const { manager } = yield* team
      const created = yield* as(manager, tags.create({ name: "  Outdoor " }))
      assert.deepStrictEqual([created.name, created.version, created.orgId], ["Outdoor", 1, manager.orgId])
      assert.deepStrictEqual(yield* auditedOf(manager.orgId), ["tag.CREATE"])
      assert.deepStrictEqual(yield* topicsOf(manager.orgId), ["tag.created"])
    })
  )

  it.effect(
    "a name a live tag has, whatever its case, is refused on create and rename; a deleted tag's, or its own, is free",
    () =>
      Effect.gen(function* () {
        const tags = yield* Tags.Tags
        const { manager } = yield* team
        const outdoor = yield* as(manager, tags.create({ name: "Outdoor" }))
        const night = yield* as(manager, tags.create({ name: "Night" }))
        const created = yield* Effect.flip(as(manager, tags.create({ name: "OUTDOOR" })))
        const renamed = yield* Effect.flip(as(manager, tags.update(night.id, 1, { name: "outdoor" })))
        for (const refused of [created, renamed]) {
          assert.strictEqual(refused._tag, "AlreadyExists")
          if (refused._tag === "AlreadyExists") assert.strictEqual(refused.field, "name")
        }
        assert.strictEqual((yield* as(yield* stranger, tags.create({ name: "Outdoor" }))).name, "Outdoor")
        yield* as(manager, tags.remove(outdoor.id, 1))
        assert.strictEqual((yield* as(manager, tags.create({ name: "OUTDOOR" }))).name, "OUTDOOR")
        const back = yield* Effect.flip(as(manager, tags.restore(outdoor.id, 2)))
        assert.strictEqual(back._tag, "AlreadyExists")
        // A tag's own name is no clash: only its spelling changes.
        assert.strictEqual((yield* as(manager, tags.update(night.id, 1, { name: "NIGHT" }))).name, "NIGHT")
      })
  )
})

layer(memory, { excludeTestServices: true })("Tags on memory storage: resources and access", (it) => {
  it.effect(
    "renaming a tag renames it on every resource carrying it, without a new version or event on them",
    () =>
      Effect.gen(function* () {
        const tags = yield* Tags.Tags
        const { manager } = yield* team
        const outdoor = yield* as(manager, tags.create({ name: "Outdoor" }))
        yield* as(manager, tags.create({ name: "4K" }))
        const van = yield* resource(manager.orgId, ["4K", "Outdoor"])
        const renamed = yield* as(manager, tags.update(outdoor.id, 1, { name: "Field" }))
        assert.deepStrictEqual([renamed.name, renamed.version], ["Field", 2])
        assert.deepStrictEqual(yield* tagsOn(van), [["4K", "Field"], 1])
        assert.deepStrictEqual(yield* auditedOf(manager.orgId), ["tag.CREATE", "tag.CREATE", "tag.UPDATE"])
      })
  )

  it.effect(
    "deleting a tag drops it off its resources; restoring puts it back where the tags were not set meanwhile",
    () =>
      Effect.gen(function* () {
        const tags = yield* Tags.Tags
        const { manager } = yield* team
        const outdoor = yield* as(manager, tags.create({ name: "Outdoor" }))
        yield* as(manager, tags.create({ name: "4K" }))
        const van = yield* resource(manager.orgId, ["Outdoor"])
        const drone = yield* resource(manager.orgId, ["Outdoor"])
        yield* as(manager, tags.remove(outdoor.id, 1))
        assert.deepStrictEqual(
          [yield* tagsOn(van), yield* tagsOn(drone)],
          [
            [[], 1],
            [[], 1]
          ]
        )
        assert.strictEqual((yield* Effect.flip(as(manager, tags.get(outdoor.id))))._tag, "NotFound")
        yield* Effect.orDie((yield* ResourceRepo).update(manager.orgId, drone.id, 1, { tags: ["4K"] }))
        const restored = yield* as(manager, tags.restore(outdoor.id, 2))
        assert.deepStrictEqual([restored.deletedAt, restored.version], [null, 3])
        assert.deepStrictEqual(
          [yield* tagsOn(van), yield* tagsOn(drone)],
          [
            [["Outdoor"], 1],
            [["4K"], 2]
          ]
        )
        assert.deepStrictEqual((yield* auditedOf(manager.orgId)).slice(-2), [
          "tag.SOFT_DELETE",
          "tag.RESTORE"
        ])
      })
  )

  it.effect("a stale version is refused; a member may not write; another org's tag is not found", () =>
    Effect.gen(function* () {
      const tags = yield* Tags.Tags
      const { manager, member } = yield* team
      const outdoor = yield* as(manager, tags.create({ name: "Outdoor" }))
      yield* as(manager, tags.update(outdoor.id, 1, { name: "Field" }))
      const stale = yield* Effect.flip(as(manager, tags.update(outdoor.id, 1, { name: "Late" })))
      assert.strictEqual(stale._tag, "PreconditionFailed")
      assert.strictEqual((yield* as(member, tags.get(outdoor.id))).name, "Field")
      assert.strictEqual((yield* Effect.flip(as(member, tags.create({ name: "Mine" }))))._tag, "Forbidden")
      assert.strictEqual((yield* Effect.flip(as(member, tags.remove(outdoor.id, 2))))._tag, "Forbidden")
      const outsider = yield* stranger
      assert.strictEqual((yield* Effect.flip(as(outsider, tags.get(outdoor.id))))._tag, "NotFound")
      assert.strictEqual((yield* Effect.flip(as(outsider, tags.remove(outdoor.id, 2))))._tag, "NotFound")
    })
  )
})
