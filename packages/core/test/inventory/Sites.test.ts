import { assert, layer } from "@effect/vitest"
import { DateTime, Effect, Layer } from "effect"
import * as Sites from "../../src/inventory/Sites.ts"
import * as Tags from "../../src/inventory/Tags.ts"
import { AuditLog } from "../../src/kernel/AuditLog.ts"
import { AccountId, Ids, nextId, OrgId } from "../../src/kernel/Ids.ts"
import { Outbox } from "../../src/kernel/Outbox.ts"
import { Actor } from "../../src/kernel/RequestContext.ts"
import type { Role } from "../../src/kernel/Role.ts"
import * as MemoryStorage from "../../src/testing/MemoryStorage.ts"
import { as } from "../support/UseCases.ts"

// The sites and tags use cases on the memory adapters: their rules in milliseconds, no database.
const memory = Layer.mergeAll(Sites.layer, Tags.layer).pipe(
  Layer.provideMerge(Layer.mergeAll(MemoryStorage.layer, Ids.layer))
)

const actorIn = (orgId: OrgId, role: Role) =>
  Effect.map(nextId(AccountId), (accountId) => new Actor({ orgId, accountId, role }))

const newOrg = Effect.flatMap(nextId(OrgId), (orgId) => actorIn(orgId, "manager"))

const eventsOf = (orgId: OrgId) =>
  Effect.flatMap(Effect.service(AuditLog), (log) =>
    Effect.map(Effect.orDie(log.list(orgId, { limit: 100 })), (page) =>
      page.items.map((event) => `${event.entityType}.${event.action}`)
    )
  )

const topicsOf = (orgId: OrgId) =>
  Effect.flatMap(Effect.service(Outbox), (outbox) => {
    const far = DateTime.makeUnsafe(Date.UTC(2200, 0, 1))
    return Effect.map(outbox.lease(1000, far, far), (messages) =>
      messages.filter((message) => message.orgId === orgId).map((message) => message.topic)
    )
  })

layer(memory, { excludeTestServices: true })("Sites and Tags on memory storage", (it) => {
  it.effect("a manager creates a site: the site, its audit event and its outbox message, at version 1", () =>
    Effect.gen(function* () {
      const sites = yield* Sites.Sites
      const manager = yield* newOrg
      const site = yield* as(manager, sites.create({ name: "Depot", address: "1 quay" }))
      assert.deepStrictEqual(
        [site.name, site.address, site.version, site.orgId],
        ["Depot", "1 quay", 1, manager.orgId]
      )
      assert.deepStrictEqual(yield* eventsOf(manager.orgId), ["site.CREATE"])
      assert.deepStrictEqual(yield* topicsOf(manager.orgId), ["site.created"])
    })
  )

  it.effect("an update needs the current version: a stale one is refused and changes nothing", () =>
    Effect.gen(function* () {
      const sites = yield* Sites.Sites
      const manager = yield* newOrg
      const site = yield* as(manager, sites.create({ name: "Depot" }))
      const renamed = yield* as(manager, sites.update(site.id, 1, { name: "Hangar" }))
      assert.deepStrictEqual([renamed.name, renamed.version], ["Hangar", 2])
      const stale = yield* Effect.flip(as(manager, sites.update(site.id, 1, { name: "Late" })))
      assert.strictEqual(stale._tag, "PreconditionFailed")
      assert.strictEqual((yield* as(manager, sites.get(site.id))).name, "Hangar")
      assert.deepStrictEqual(yield* eventsOf(manager.orgId), ["site.UPDATE", "site.CREATE"])
    })
  )

  it.effect("another org's site is not found, and a member may read but not write", () =>
    Effect.gen(function* () {
      const sites = yield* Sites.Sites
      const manager = yield* newOrg
      const site = yield* as(manager, sites.create({ name: "Depot" }))
      const stranger = yield* newOrg
      assert.strictEqual((yield* Effect.flip(as(stranger, sites.get(site.id))))._tag, "NotFound")
      assert.strictEqual(
        (yield* Effect.flip(as(stranger, sites.update(site.id, 1, { name: "Mine" }))))._tag,
        "NotFound"
      )
      const member = yield* actorIn(manager.orgId, "member")
      assert.strictEqual((yield* as(member, sites.get(site.id))).id, site.id)
      assert.strictEqual((yield* Effect.flip(as(member, sites.create({ name: "Shed" }))))._tag, "Forbidden")
    })
  )

  it.effect("a removed site leaves the list and comes back on restore", () =>
    Effect.gen(function* () {
      const sites = yield* Sites.Sites
      const manager = yield* newOrg
      const site = yield* as(manager, sites.create({ name: "Depot" }))
      yield* as(manager, sites.remove(site.id, 1))
      const listed = yield* as(manager, sites.list({ limit: 10, filters: {} }))
      assert.strictEqual(listed.items.length, 0)
      const restored = yield* as(manager, sites.restore(site.id, 2))
      assert.deepStrictEqual([restored.deletedAt, restored.version], [null, 3])
      assert.deepStrictEqual(yield* eventsOf(manager.orgId), [
        "site.RESTORE",
        "site.SOFT_DELETE",
        "site.CREATE"
      ])
    })
  )

  it.effect("a tag whose name is taken is refused, and its write leaves no audit event or message", () =>
    Effect.gen(function* () {
      const tags = yield* Tags.Tags
      const manager = yield* newOrg
      yield* as(manager, tags.create({ name: "fragile" }))
      const taken = yield* Effect.flip(as(manager, tags.create({ name: "FRAGILE" })))
      assert.strictEqual(taken._tag, "AlreadyExists")
      assert.deepStrictEqual(yield* eventsOf(manager.orgId), ["tag.CREATE"])
      assert.deepStrictEqual(yield* topicsOf(manager.orgId), ["tag.created"])
    })
  )
})
