import { assert, layer } from "@effect/vitest"
import { Effect, Layer, Option } from "effect"
import * as Resources from "../../src/inventory/Resources.ts"
import { Ids, nextId, OrgId } from "../../src/kernel/Ids.ts"
import { site, tag } from "../../src/testing/InventoryFixtures.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { entry } from "../../src/testing/WaitlistFixtures.ts"
import * as Offers from "../../src/waitlist/Offers.ts"
import type { WaitlistEntry } from "../../src/waitlist/WaitlistEntry.ts"
import { WaitlistRepo } from "../../src/waitlist/WaitlistRepo.ts"
import { actorIn, as, auditedOf, messagesOf, stranger, topicsOf, unit } from "../support/UseCases.ts"

// The resources use case on the memory adapters, with the waitlist's offering engine taking up
// the time a resource back in service frees.
const memory = Resources.layer.pipe(
  Layer.provideMerge(Offers.layer),
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer))
)

const camera = { name: "4K camera kit", type: "camera" }

/** A waitlist entry's status and the unit it is offered, as stored. */
const offerOf = (waiting: WaitlistEntry) =>
  Effect.map(
    Effect.flatMap(Effect.service(WaitlistRepo), (repo) => repo.find(waiting.orgId, waiting.id)),
    (found) => Option.match(found, { onNone: () => [], onSome: (one) => [one.status, one.offeredUnitId] })
  )

/** A manager of a new org, and a member of it. */
const team = Effect.gen(function* () {
  const orgId = yield* nextId(OrgId)
  return { manager: yield* actorIn(orgId, "manager"), member: yield* actorIn(orgId, "member") }
})

layer(memory, { excludeTestServices: true })("Resources on memory storage: references", (it) => {
  it.effect(
    "a resource names a live site and existing tags, spelled as the tags are, once each, sorted; audited and announced",
    () =>
      Effect.gen(function* () {
        const resources = yield* Resources.Resources
        const { manager } = yield* team
        const depot = yield* site(manager.orgId, "Depot")
        yield* tag(manager.orgId, "Outdoor")
        yield* tag(manager.orgId, "4K")
        const created = yield* as(
          manager,
          resources.create({ ...camera, siteId: depot.id, tags: ["outdoor", "4k", "OUTDOOR"] })
        )
        assert.deepStrictEqual(
          [created.tags, created.siteId, created.status, created.version],
          [["4K", "Outdoor"], depot.id, "AVAILABLE", 1]
        )
        assert.deepStrictEqual(yield* auditedOf(manager.orgId), ["resource.CREATE"])
        assert.deepStrictEqual(
          (yield* messagesOf(manager.orgId)).map((message) => [message.topic, message.payload]),
          [["resource.created", { id: created.id, version: 1, status: "AVAILABLE" }]]
        )
      })
  )

  it.effect("an unknown site or tag is refused, naming each, and nothing is written", () =>
    Effect.gen(function* () {
      const resources = yield* Resources.Resources
      const { manager } = yield* team
      yield* tag(manager.orgId, "4K")
      const elsewhere = yield* site(yield* nextId(OrgId), "Their depot")
      const refused = yield* Effect.flip(
        as(manager, resources.create({ ...camera, siteId: elsewhere.id, tags: ["4K", "Drone", "Night"] }))
      )
      assert.strictEqual(refused._tag, "ValidationFailed")
      if (refused._tag === "ValidationFailed")
        assert.deepStrictEqual(
          refused.errors.map((issue) => issue.path),
          [
            ["body", "siteId"],
            ["body", "tags", 1],
            ["body", "tags", 2]
          ]
        )
      assert.deepStrictEqual((yield* as(manager, resources.list({ limit: 10, filters: {} }))).items, [])
      assert.deepStrictEqual(yield* auditedOf(manager.orgId), [])
    })
  )
})

layer(memory, { excludeTestServices: true })("Resources on memory storage: changes", (it) => {
  it.effect(
    "a change of status is audited as a STATUS_CHANGE; a stale version is refused and changes nothing",
    () =>
      Effect.gen(function* () {
        const resources = yield* Resources.Resources
        const { manager } = yield* team
        const created = yield* as(manager, resources.create(camera))
        const resting = yield* as(manager, resources.update(created.id, 1, { status: "MAINTENANCE" }))
        const renamed = yield* as(manager, resources.update(created.id, 2, { name: "Camera kit" }))
        assert.deepStrictEqual([resting.version, renamed.version, renamed.status], [2, 3, "MAINTENANCE"])
        const stale = yield* Effect.flip(as(manager, resources.update(created.id, 2, { name: "Late" })))
        assert.strictEqual(stale._tag, "PreconditionFailed")
        const missing = yield* Effect.flip(
          as(manager, resources.update(created.id, "missing", { name: "No" }))
        )
        assert.strictEqual(missing._tag, "PreconditionRequired")
        assert.strictEqual((yield* as(manager, resources.get(created.id))).name, "Camera kit")
        assert.deepStrictEqual(yield* auditedOf(manager.orgId), [
          "resource.CREATE",
          "resource.STATUS_CHANGE",
          "resource.UPDATE"
        ])
        assert.deepStrictEqual(yield* topicsOf(manager.orgId), [
          "resource.created",
          "resource.status_changed",
          "resource.updated"
        ])
      })
  )

  it.effect("a resource back in service offers its units to its waitlist in the same write", () =>
    Effect.gen(function* () {
      const resources = yield* Resources.Resources
      const { manager, member } = yield* team
      const created = yield* as(manager, resources.create({ ...camera, status: "MAINTENANCE" }))
      const spare = yield* unit(manager.orgId, created.id)
      const waiting = yield* entry(manager.orgId, created.id, member.accountId, 1)
      yield* as(manager, resources.update(created.id, 1, { name: "Camera kit" }))
      assert.deepStrictEqual(
        yield* offerOf(waiting),
        ["WAITING", null],
        "a change that is no return to service"
      )
      yield* as(manager, resources.update(created.id, 2, { status: "AVAILABLE" }))
      assert.deepStrictEqual(yield* offerOf(waiting), ["OFFERED", spare.id])
      assert.deepStrictEqual((yield* topicsOf(manager.orgId)).slice(-2).sort(), [
        "resource.status_changed",
        "waitlist.offered"
      ])
    })
  )
})

layer(memory, { excludeTestServices: true })("Resources on memory storage: soft delete and access", (it) => {
  it.effect(
    "a removed resource is hidden, seen only by managers asking for deleted records, and comes back on restore",
    () =>
      Effect.gen(function* () {
        const resources = yield* Resources.Resources
        const { manager, member } = yield* team
        const created = yield* as(manager, resources.create(camera))
        yield* as(manager, resources.remove(created.id, 1))
        assert.strictEqual((yield* Effect.flip(as(manager, resources.get(created.id))))._tag, "NotFound")
        assert.deepStrictEqual((yield* as(manager, resources.list({ limit: 10, filters: {} }))).items, [])
        const deleted = yield* as(manager, resources.get(created.id, { includeDeleted: true }))
        assert.deepStrictEqual([deleted.deletedAt !== null, deleted.version], [true, 2])
        const peek = yield* Effect.flip(as(member, resources.get(created.id, { includeDeleted: true })))
        assert.strictEqual(peek._tag, "Forbidden")
        assert.strictEqual(
          (yield* Effect.flip(as(manager, resources.remove(created.id, 2))))._tag,
          "NotFound"
        )
        const restored = yield* as(manager, resources.restore(created.id, 2))
        assert.deepStrictEqual([restored.deletedAt, restored.version], [null, 3])
        assert.strictEqual((yield* as(member, resources.get(created.id))).id, created.id)
        assert.deepStrictEqual(yield* auditedOf(manager.orgId), [
          "resource.CREATE",
          "resource.SOFT_DELETE",
          "resource.RESTORE"
        ])
      })
  )

  it.effect("a member reads but may not write; another org's resource is not found", () =>
    Effect.gen(function* () {
      const resources = yield* Resources.Resources
      const { manager, member } = yield* team
      const created = yield* as(manager, resources.create(camera))
      assert.strictEqual((yield* as(member, resources.get(created.id))).id, created.id)
      assert.strictEqual((yield* Effect.flip(as(member, resources.create(camera))))._tag, "Forbidden")
      assert.strictEqual((yield* Effect.flip(as(member, resources.remove(created.id, 1))))._tag, "Forbidden")
      const outsider = yield* stranger
      assert.strictEqual((yield* Effect.flip(as(outsider, resources.get(created.id))))._tag, "NotFound")
      const theirs = yield* Effect.flip(as(outsider, resources.update(created.id, 1, { name: "Mine" })))
      assert.strictEqual(theirs._tag, "NotFound")
      assert.deepStrictEqual((yield* as(outsider, resources.list({ limit: 10, filters: {} }))).items, [])
    })
  )
})
